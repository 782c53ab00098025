using System.Globalization;
using System.Net;
using System.Text;

namespace Postern.EndToEnd.Fixtures.Haproxy;

/// <summary>Which PROXY header HAProxy puts before each relayed connection.</summary>
public enum SendProxy
{
    /// <summary><c>send-proxy</c>: the v1 text line.</summary>
    V1,

    /// <summary><c>send-proxy-v2</c>: the v2 binary header.</summary>
    V2,
}

/// <summary>
/// A private HAProxy (Debian's 2.6) in TCP mode on a free loopback port, in front of the given
/// Postern listeners, each a <c>server</c> line with <c>send-proxy</c> or <c>send-proxy-v2</c>.
/// HAProxy connects to the servers from 127.0.0.1 and names the real client in the header, so a
/// test shows a client address by connecting to <see cref="EndPoint"/> from 127.0.0.N. Its
/// configuration lives in a temporary directory; it runs in the foreground (<c>-db</c>), ready once
/// its own process listens, and is stopped by its PID. With <c>healthChecks</c> each server is
/// checked every 500 ms with an SMTP HELO (HAProxy sends those checks with a v2 LOCAL header) and
/// taken out after one failure, back after one success.
/// </summary>
public sealed class HaproxyServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/haproxy";

    private readonly ForegroundDaemon _daemon;
    private readonly string _directory;

    private HaproxyServer(ForegroundDaemon daemon, string directory, string configuration)
    {
        _daemon = daemon;
        _directory = directory;
        Configuration = configuration;
    }

    /// <summary>Where clients connect: 127.0.0.1 and HAProxy's port.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, _daemon.Port);

    public int ProcessId => _daemon.ProcessId;

    /// <summary>haproxy.cfg as written (for a failing test's message, and the documentation's example).</summary>
    public string Configuration { get; }

    /// <summary>What HAProxy wrote on stdout and stderr.</summary>
    public string Output => _daemon.Output;

    public static async Task<HaproxyServer> StartAsync(IReadOnlyList<IPEndPoint> servers, SendProxy header = SendProxy.V2, bool healthChecks = false)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var directory = Directory.CreateTempSubdirectory("postern-haproxy-").FullName;
        var configFile = Path.Combine(directory, "haproxy.cfg");
        var configuration = "";
        try
        {
            var daemon = await ForegroundDaemon.StartAsync("haproxy", Executable, port =>
            {
                configuration = Config(port, servers, header, healthChecks);
                File.WriteAllText(configFile, configuration);
                return ["-f", configFile, "-db"];
            }, TimeSpan.FromSeconds(15));
            return new HaproxyServer(daemon, directory, configuration);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>A TCP-mode front end on <paramref name="port"/> balancing over <paramref name="servers"/>.</summary>
    public static string Config(int port, IReadOnlyList<IPEndPoint> servers, SendProxy header, bool healthChecks)
    {
        var text = new StringBuilder();
        text.Append("global\n    maxconn 512\n\n");
        text.Append("defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 60s\n    timeout server 60s\n\n");
        text.Append(CultureInfo.InvariantCulture, $"frontend smtp\n    bind 127.0.0.1:{port}\n    default_backend postern\n\n");
        text.Append("backend postern\n    balance roundrobin\n");
        if (healthChecks)
        {
            text.Append("    option smtpchk HELO haproxy.test\n");
        }
        var keyword = header == SendProxy.V2 ? "send-proxy-v2" : "send-proxy";
        for (var i = 0; i < servers.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"    server node{i + 1} {servers[i].Address}:{servers[i].Port} {keyword}");
            text.Append(healthChecks ? " check inter 500ms fall 1 rise 1\n" : "\n");
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
