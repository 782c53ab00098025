using System.Globalization;
using System.Net;

namespace Postern.EndToEnd.Fixtures.ScaleOut;

/// <summary>
/// HAProxy (Debian's haproxy 2.6) in front of a cluster's nodes, as docs/scale-out.md configures
/// it: TCP mode, round robin, send-proxy-v2 to each node, a health check every 500 ms (down after
/// two failures, up after two successes), redispatch of a connection a dead node refused. Its own
/// configuration in a temp directory, a free loopback port, run in the foreground (<c>-db</c>) and
/// stopped by its PID; its warnings (a server going down or up) are read from its output.
/// </summary>
public sealed class ClusterProxy : IAsyncDisposable
{
    public const string Haproxy = "/usr/sbin/haproxy";
    private const string Backend = "nodes";

    private readonly ForegroundDaemon _daemon;
    private readonly string _directory;

    private ClusterProxy(ForegroundDaemon daemon, string directory)
    {
        _daemon = daemon;
        _directory = directory;
    }

    /// <summary>The frontend clients connect to.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, _daemon.Port);

    /// <summary>What HAProxy wrote: servers going down and up, alerts.</summary>
    public string Log => _daemon.Output;

    /// <summary>Starts HAProxy with one server line per node, named as the nodes are.</summary>
    public static async Task<ClusterProxy> StartAsync(IReadOnlyList<(string Name, IPEndPoint Address)> servers)
    {
        var directory = PosternProcess.NewDataDir();
        var config = Path.Combine(directory, "haproxy.cfg");
        try
        {
            var daemon = await ForegroundDaemon.StartAsync("haproxy", Haproxy, port =>
            {
                File.WriteAllText(config, Config(port, servers));
                return ["-db", "-f", config];
            }, TimeSpan.FromSeconds(15));
            return new ClusterProxy(daemon, directory);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Waits (bounded) until HAProxy's last word on <paramref name="server"/> is that it is up.</summary>
    public async Task WaitForServerUpAsync(string server, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (!IsUp(server))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"HAProxy did not mark {server} up within {wait.TotalSeconds} s:\n{Log}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits (bounded) until HAProxy has marked <paramref name="server"/> down.</summary>
    public async Task WaitForServerDownAsync(string server, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (IsUp(server))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"HAProxy did not mark {server} down within {wait.TotalSeconds} s:\n{Log}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Up unless the last line about the server says down (HAProxy starts with every server up).</summary>
    private bool IsUp(string server)
    {
        var last = Log.Split('\n').LastOrDefault(l => l.Contains($"Server {Backend}/{server} is ", StringComparison.Ordinal));
        return last is null || last.Contains($"Server {Backend}/{server} is UP", StringComparison.Ordinal);
    }

    private static string Config(int port, IReadOnlyList<(string Name, IPEndPoint Address)> servers)
    {
        var lines = new List<string>
        {
            "global",
            "    maxconn 500",
            "defaults",
            "    mode tcp",
            "    timeout connect 2s",
            "    timeout client 60s",
            "    timeout server 60s",
            "    retries 3",
            "    option redispatch",
            "frontend smtp",
            "    bind 127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "    default_backend " + Backend,
            "backend " + Backend,
            "    balance roundrobin",
        };
        lines.AddRange(servers.Select(s => $"    server {s.Name} {s.Address} send-proxy-v2 check inter 500ms fall 2 rise 2"));
        return string.Join('\n', lines) + "\n";
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
