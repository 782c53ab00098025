using System.Globalization;
using Postern.Core.Tls;
using Postern.Policy.Access;
using Postern.Server.Options;

namespace Postern.Config.Lint;

/// <summary>
/// The access map's per-client connection limits (<c>ClientRate:</c>, <c>ClientConn:</c>,
/// <c>GreetPause:</c>) where they cannot do what they say.
/// </summary>
internal static class ClientLimitLint
{
    private const string Area = "access map";

    public static IEnumerable<ConfigWarning> Check(PosternConfiguration configuration, AccessMap map)
    {
        var server = configuration.Server;
        var pauses = map.Entries.Where(e => e.Tag == AccessTag.GreetPause && e.Limit > 0).ToList();
        if (pauses.Count > 0 && server.Listeners.All(l => l.Tls == ListenerTlsMode.Implicit || l.Auth == ListenerAuthMode.Require))
        {
            yield return new(Area, $"{map.Where(pauses[0])}: GreetPause: entries apply only on listeners where the client waits for the greeting (not tls = \"implicit\", not auth = \"require\"), and no listener here is one");
        }
        foreach (var entry in map.Entries.Where(e => e.Tag == AccessTag.ClientConn && e.Limit > server.MaxConnections))
        {
            yield return new(Area, $"{map.Where(entry)}: {entry.Describe()} allows more connections than limits.max_connections ({server.MaxConnections.ToString(CultureInfo.InvariantCulture)}), which applies first");
        }
        foreach (var entry in map.Entries.Where(e => e.Tag == AccessTag.GreetPause && e.Limit >= server.StressTimeout.TotalMilliseconds))
        {
            yield return new(Area, $"{map.Where(entry)}: {entry.Describe()} holds the greeting as long as limits.stress_timeout ({server.StressTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s) or longer: every greeted client waits that long, under attack too");
        }
    }
}
