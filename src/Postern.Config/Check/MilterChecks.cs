using Postern.Config.Lint;

namespace Postern.Config.Check;

/// <summary>
/// <c>config check</c>'s milter lines: which milters each listener and local submissions run, and
/// a warning for each configured milter that does not answer its probe (all probed at once, each
/// within <see cref="MilterProbe.DefaultDeadline"/>).
/// </summary>
internal static class MilterChecks
{
    public static IReadOnlyList<ConfigWarning> Probe(PosternConfiguration configuration, TimeProvider clock)
    {
        var milters = configuration.Milters.Definitions;
        var probes = milters.Select(m => MilterProbe.ProbeAsync(m.Socket, MilterProbe.DefaultDeadline, clock)).ToArray();
        // A command, not a server: waiting here blocks nothing else.
        Task.WaitAll(probes);
        return [.. milters.Zip(probes)
            .Where(p => p.Second.Result is not null)
            .Select(p => new ConfigWarning("milter", $"milter \"{p.First.Name}\" ({p.First.Socket}) does not answer: {p.Second.Result}; sessions get its default_action (\"{Milters.MilterWriter.ActionWord(p.First.DefaultAction)}\") until it does"))];
    }

    /// <summary>The summary lines: each listener's milters, then local submissions'.</summary>
    public static IEnumerable<string> Summary(PosternConfiguration configuration)
    {
        if (configuration.Milters.Definitions.Count == 0)
        {
            yield break;
        }
        foreach (var listener in configuration.Server.Listeners)
        {
            yield return $"  listener {listener.Name} milters: {List(configuration.Milters.ForListener(listener).Select(m => m.Name))}{(listener.Milters is null ? " (server.milters)" : "")}";
        }
        yield return $"  local submissions milters: {List(configuration.Milters.ForLocalSubmissions().Select(m => m.Name))}";
    }

    private static string List(IEnumerable<string> names) => names.DefaultIfEmpty("none").Aggregate((a, b) => a + ", " + b);
}
