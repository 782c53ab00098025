using Postern.Core.Milters;
using Postern.Server.Options;

namespace Postern.Config.Milters;

/// <summary>
/// The configured milters (<c>[[milter]]</c>) and which of them run where: <c>[server] milters</c>
/// for every listener without a list of its own, <c>[server] local_milters</c> for local
/// submissions (the sendmail command and the maildrop). Every name in a list is defined: the
/// binder refuses a configuration where it is not.
/// </summary>
public sealed record MilterOptions
{
    public static MilterOptions None { get; } = new();

    /// <summary>Every <c>[[milter]]</c> entry, in file order.</summary>
    public IReadOnlyList<MilterDefinition> Definitions { get; init; } = [];

    /// <summary><c>[server] milters</c>: the list of every listener that has none of its own (Postfix's <c>smtpd_milters</c>).</summary>
    public IReadOnlyList<string> ServerMilters { get; init; } = [];

    /// <summary><c>[server] local_milters</c> (Postfix's <c>non_smtpd_milters</c>).</summary>
    public IReadOnlyList<string> LocalMilters { get; init; } = [];

    /// <summary>The milters a session on <paramref name="listener"/> runs, in order: its own list, else the server's.</summary>
    public IReadOnlyList<MilterDefinition> ForListener(ListenerOptions listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return Resolve(listener.Milters ?? ServerMilters);
    }

    /// <summary>The milters of every listener without a list of its own (<c>[server] milters</c>), in order.</summary>
    public IReadOnlyList<MilterDefinition> ForServerListeners() => Resolve(ServerMilters);

    /// <summary>The milters local submissions run, in order.</summary>
    public IReadOnlyList<MilterDefinition> ForLocalSubmissions() => Resolve(LocalMilters);

    /// <summary>The definition named <paramref name="name"/>, or null.</summary>
    public MilterDefinition? Find(string name) => Definitions.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));

    private List<MilterDefinition> Resolve(IReadOnlyList<string> names) =>
        [.. names.Select(name => Find(name) ?? throw new InvalidOperationException($"milter \"{name}\" is not defined"))];
}
