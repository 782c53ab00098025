using System.Globalization;
using System.Net;
using Postern.EndToEnd.Fixtures.Dovecot;
using Postern.Testing.Postgres;

namespace Postern.EndToEnd.Fixtures.ScaleOut;

/// <summary>
/// docs/scale-out.md's layout on loopback, every part private to the test class: one PostgreSQL 15
/// (<see cref="PostgresServer"/>) holding the users, the access map and the virtual mailboxes;
/// Dovecot's LMTP server (<see cref="DovecotServer"/>) holding the mailboxes of
/// <see cref="VirtualDomain"/>; two Postern nodes (<see cref="ScaleOutNode"/>) reading the same
/// tables, each with its own data directory and spool, whose "mx" listener takes a PROXY header from
/// 127.0.0.1 only; HAProxy (<see cref="ClusterProxy"/>) in front of both with send-proxy-v2 and
/// health checks every 500 ms; a sink for <see cref="RemoteDomain"/>, so what relays can be seen.
/// Clients connect to HAProxy from their own 127.0.0.x, which the nodes must see.
/// </summary>
public sealed class ScaleOutCluster : IAsyncLifetime, IAsyncDisposable
{
    public const string VirtualDomain = "example.test";
    public const string RemoteDomain = "remote.test";
    public const string Mailbox = "carol@example.test";
    public const string OtherMailbox = "dave@example.test";

    private PostgresServer? _database;
    private DovecotServer? _dovecot;
    private ClusterProxy? _proxy;
    private SmtpSink? _sink;
    private ScaleOutNode? _a;
    private ScaleOutNode? _b;
    private bool _disposed;

    public TestPki Pki { get; } = new();

    public PostgresServer Database => _database ?? throw NotStarted();

    public DovecotServer Dovecot => _dovecot ?? throw NotStarted();

    public ClusterProxy Proxy => _proxy ?? throw NotStarted();

    /// <summary>The next hop for <see cref="RemoteDomain"/>: what reaches it was relayed.</summary>
    public SmtpSink Sink => _sink ?? throw NotStarted();

    public ScaleOutNode A => _a ?? throw NotStarted();

    public ScaleOutNode B => _b ?? throw NotStarted();

    public IReadOnlyList<ScaleOutNode> Nodes => [A, B];

    /// <summary>Where clients connect: HAProxy's frontend.</summary>
    public IPEndPoint Front => Proxy.EndPoint;

    public async Task InitializeAsync()
    {
        try
        {
            _sink = new SmtpSink(SinkOptions.PlainNextHop);
            _database = await PostgresServer.CreateAsync();
            _dovecot = await DovecotServer.StartAsync(Mailbox, OtherMailbox);
            await InitializeSchemaAsync();
            _a = await ScaleOutNode.StartAsync("a", (mx, submission) => NodeConfig("a", mx, submission));
            _b = await ScaleOutNode.StartAsync("b", (mx, submission) => NodeConfig("b", mx, submission));
            _proxy = await ClusterProxy.StartAsync([(A.Name, A.Mx), (B.Name, B.Mx)]);
        }
        catch
        {
            // Whatever started is stopped by its PID before the failure is reported.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// `postern db init` with node a's configuration (before any node runs, as docs/scale-out.md
    /// does it), then the virtual mailboxes, written with SQL as an administrator would.
    /// </summary>
    private async Task InitializeSchemaAsync()
    {
        var directory = PosternProcess.NewDataDir();
        try
        {
            var config = Path.Combine(directory, "postern.toml");
            await File.WriteAllTextAsync(config, NodeConfig("a", "127.0.0.1:0", "127.0.0.1:0"));
            var (code, output) = await Binary.RunAsync("db", "init", "--config", config, "--data-dir", directory);
            Assert.True(code == 0, "postern db init failed:\n" + output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        await SqlAsync($"INSERT INTO virtual_mailboxes (key, value) VALUES ('{Mailbox}', '{Mailbox}'), ('{OtherMailbox}', '{OtherMailbox}')");
    }

    /// <summary>Runs <paramref name="sql"/> with psql as the database's owner; fails the test on an error.</summary>
    public async Task<string> SqlAsync(string sql)
    {
        var (code, output) = await ExternalCommand.RunAsync("psql", "-h", "127.0.0.1", "-p", Database.Port.ToString(CultureInfo.InvariantCulture),
            "-U", PostgresServer.UserName, "-d", PostgresServer.DatabaseName, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-t", "-A", "-c", sql);
        Assert.True(code == 0, $"psql failed for {sql}:\n{output}");
        return output;
    }

    /// <summary>
    /// One node's postern.toml: its own host name and listeners, everything else the same on both
    /// (the database, the maps, the virtual domain and its LMTP transport, the route to the sink).
    /// AUTH failures are neither delayed nor counted towards a block here: the tests poll AUTH.
    /// </summary>
    public string NodeConfig(string name, string mxAddress, string submissionAddress) =>
        PosternConfig.Host($"node-{name}.scaleout.test")
            .WithListener("mx", "mta", tls: "starttls", clientCert: "ask", address: mxAddress,
                extra: "proxy_protocol = true\nproxy_trusted = [\"127.0.0.1/32\"]")
            .WithListener("submission", "msa", tls: "starttls", auth: "require", address: submissionAddress)
            .WithLocal([$"node-{name}.scaleout.test"], ["user"])
            .WithServerTls(Pki)
            .WithSection($"[database]\nconnection = \"{Database.ConnectionString}\"\nmax_connections = 4\ncache_ttl = \"60s\"\ntimeout = \"2s\"")
            .WithSection("[policy]\naccess_map = \"pgsql:access\"")
            .WithSection("[auth]\nusers_file = \"pgsql:users\"\nplaintext_requires_tls = false\nfailure_delay = \"0s\"\nmax_failures = 100000")
            .WithSection($"[virtual]\ndomains = [\"{VirtualDomain}\"]\nmailboxes = \"pgsql:virtual_mailboxes\"\ntransport = \"{Dovecot.TcpTransport}\"")
            .WithRoute(RemoteDomain, Sink.Port)
            .ToToml();

    /// <summary>Every node's log, for a failing assertion's message.</summary>
    public string Logs() =>
        string.Join("\n", Nodes.Select(n => $"--- node {n.Name}:\n{n.Log}")) + $"\n--- haproxy:\n{Proxy.Log}";

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var part in new IAsyncDisposable?[] { _proxy, _a, _b, _dovecot, _database, _sink })
        {
            if (part is not null)
            {
                await part.DisposeAsync();
            }
        }
        Pki.Dispose();
    }

    private static InvalidOperationException NotStarted() => new("the cluster has not started");
}
