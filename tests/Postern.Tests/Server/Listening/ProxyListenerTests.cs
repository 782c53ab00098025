using System.Net;
using System.Net.Sockets;
using System.Text;
using Postern.Core.Policy;
using Postern.Core.Stages;
using Postern.Fuzz.Seeds;
using Postern.Policy;
using Postern.Server.Listening;
using Postern.Server.Options;
using Postern.Server.Session;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Server.Listening;

/// <summary>
/// A real loopback server with a proxy listener: the header's client address is the session's client
/// everywhere (stage handlers, the mail log, the Received header, per-IP admission), and a peer
/// outside proxy_trusted, a missing or malformed header, or silence is closed with one log line.
/// </summary>
public sealed class ProxyListenerTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("192.0.2.7"), 40000);
    private static readonly IPEndPoint Destination = new(IPAddress.Parse("198.51.100.1"), 25);

    private readonly CollectingLogger _log = new();
    private readonly FakeMessageQueue _queue = new();
    private readonly FactsHandler _facts = new();

    private SmtpServer NewServer(string trusted = "127.0.0.0/8", int perIp = 50, TimeSpan? timeout = null)
    {
        var proxy = new ProxyProtocolOptions([IPNetwork.Parse(trusted)]) { Timeout = timeout ?? TimeSpan.FromSeconds(5) };
        var options = DialogHarness.DefaultOptions() with
        {
            Listeners = [new ListenerOptions("mx", new IPEndPoint(IPAddress.Loopback, 0), ListenerRole.Mta) { Proxy = proxy }],
            MaxConnectionsPerIp = perIp,
        };
        var services = new SessionServices(options, new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions()), _queue, TimeProvider.System, _log)
        {
            Handlers = [_facts],
        };
        var server = new SmtpServer(services);
        server.Start();
        return server;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task The_headers_client_is_the_sessions_client_in_handlers_log_and_received(int version)
    {
        await using var server = NewServer();
        byte[] header = version == 2
            ? ProxyHeaderBytes.V2Tcp(Client, Destination)
            : Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\r\n");

        using var connection = await Connection.OpenAsync(server.EndPoints[0], header);
        Assert.StartsWith("220 ", await connection.ReadAsync(), StringComparison.Ordinal);
        await connection.SendMessageAsync();
        await server.StopAsync();

        Assert.Equal((Client, Destination), Assert.Single(_facts.Seen));
        Assert.Contains("connect from [192.0.2.7], daemon=mx", _log.Messages);
        Assert.Contains(_log.Messages, m => m.EndsWith("relay=client.test [192.0.2.7]", StringComparison.Ordinal) && m.Contains("nrcpts=1", StringComparison.Ordinal));
        var (envelope, bytes) = Assert.Single(_queue.Committed);
        Assert.Equal(Client.Address, envelope.Client.Address);
        Assert.StartsWith("Received: from client.test ([192.0.2.7])", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Messages, m => m.Contains("[127.0.0.1]", StringComparison.Ordinal) && m.Contains("connect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_local_header_is_a_health_check_with_the_proxys_own_address()
    {
        await using var server = NewServer();

        using var connection = await Connection.OpenAsync(server.EndPoints[0], ProxyHeaderBytes.V2(0x20, 0x00, []));
        Assert.StartsWith("220 ", await connection.ReadAsync(), StringComparison.Ordinal);
        await connection.WriteAsync("QUIT\r\n");
        Assert.StartsWith("221 ", await connection.ReadAsync(), StringComparison.Ordinal);
        await server.StopAsync();

        Assert.Equal(IPAddress.Loopback, Assert.Single(_facts.Seen).Remote.Address);
        Assert.Contains("connect from [127.0.0.1], daemon=mx", _log.Messages);
    }

    [Fact]
    public async Task A_peer_outside_proxy_trusted_is_closed_unheard()
    {
        await using var server = NewServer(trusted: "10.0.0.0/8");

        using var connection = await Connection.OpenAsync(server.EndPoints[0], ProxyHeaderBytes.V2Tcp(Client, Destination));
        Assert.Null(await connection.ReadAsync());
        await server.StopAsync();

        Assert.Empty(_facts.Seen);
        Assert.Equal("rejecting connection from [127.0.0.1], daemon=mx: not a trusted proxy (proxy_trusted)", Assert.Single(_log.Messages, m => m.StartsWith("rejecting", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_connection_without_a_header_is_closed_at_its_first_bytes()
    {
        await using var server = NewServer();

        using var connection = await Connection.OpenAsync(server.EndPoints[0], "EHLO client.test\r\n"u8.ToArray());
        Assert.Null(await connection.ReadAsync());
        await server.StopAsync();

        Assert.Empty(_facts.Seen);
        // Refused at the first read: at most the 15 bytes of the shortest header were asked for.
        Assert.Contains(_log.Messages, m => m.StartsWith("rejecting connection from [127.0.0.1], daemon=mx: PROXY header: no PROXY header: the connection starts with \"EHLO", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_header_is_closed_with_the_reason()
    {
        await using var server = NewServer();

        using var connection = await Connection.OpenAsync(server.EndPoints[0], ProxyHeaderBytes.V2(0x21, 0x12, new byte[12]));
        Assert.Null(await connection.ReadAsync());
        await server.StopAsync();

        Assert.Contains("rejecting connection from [127.0.0.1], daemon=mx: PROXY header: v2 header with transport 2 (STREAM 1 only)", _log.Messages);
    }

    [Fact]
    public async Task A_silent_proxy_is_closed_at_proxy_timeout()
    {
        await using var server = NewServer(timeout: TimeSpan.FromSeconds(1));

        using var connection = await Connection.OpenAsync(server.EndPoints[0], "PROXY TCP4 192."u8.ToArray());
        Assert.Null(await connection.ReadAsync());
        await server.StopAsync();

        Assert.Contains("rejecting connection from [127.0.0.1], daemon=mx: no PROXY header within 1s", _log.Messages);
    }

    [Fact]
    public async Task Per_ip_admission_counts_the_client_not_the_proxy()
    {
        await using var server = NewServer(perIp: 1);
        var other = new IPEndPoint(IPAddress.Parse("192.0.2.8"), 40001);

        using var first = await Connection.OpenAsync(server.EndPoints[0], ProxyHeaderBytes.V2Tcp(Client, Destination));
        Assert.StartsWith("220 ", await first.ReadAsync(), StringComparison.Ordinal);
        using var second = await Connection.OpenAsync(server.EndPoints[0], ProxyHeaderBytes.V2Tcp(other, Destination));
        Assert.StartsWith("220 ", await second.ReadAsync(), StringComparison.Ordinal);
        using var third = await Connection.OpenAsync(server.EndPoints[0], ProxyHeaderBytes.V2Tcp(Client, Destination));
        Assert.StartsWith("421 ", await third.ReadAsync(), StringComparison.Ordinal);
        await server.StopAsync();

        Assert.Contains("rejecting connection from [192.0.2.7], daemon=mx: too many connections from this address", _log.Messages);
    }

    /// <summary>Records each session's client and server end points as the connect stage sees them.</summary>
    private sealed class FactsHandler : IStageHandler
    {
        private readonly List<(IPEndPoint Remote, IPEndPoint Local)> _seen = [];

        public string Name => "facts";

        public IReadOnlyList<(IPEndPoint Remote, IPEndPoint Local)> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken)
        {
            lock (_seen)
            {
                _seen.Add((session.Remote, session.Local));
            }
            return ValueTask.FromResult(PolicyDecision.Accept("facts"));
        }
    }

    /// <summary>A loopback client that sends the proxy's header first, then SMTP lines.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;
        private readonly StreamReader _reader;
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(15));

        private Connection(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
            _reader = new StreamReader(_stream, Encoding.ASCII);
        }

        public static async Task<Connection> OpenAsync(IPEndPoint endPoint, byte[] first)
        {
            var client = new TcpClient();
            await client.ConnectAsync(endPoint);
            var connection = new Connection(client);
            await connection._stream.WriteAsync(first, connection._timeout.Token);
            return connection;
        }

        /// <summary>The next reply line; null when the server closed the connection.</summary>
        public async Task<string?> ReadAsync()
        {
            try
            {
                return await _reader.ReadLineAsync(_timeout.Token);
            }
            catch (IOException)
            {
                return null;
            }
        }

        public async Task WriteAsync(string line) => await _stream.WriteAsync(Encoding.ASCII.GetBytes(line), _timeout.Token);

        /// <summary>EHLO, one message to user@localhost, QUIT; each reply checked.</summary>
        public async Task SendMessageAsync()
        {
            await WriteAsync("EHLO client.test\r\n");
            string? line;
            while ((line = await ReadAsync())?.StartsWith("250-", StringComparison.Ordinal) == true)
            {
            }
            Assert.StartsWith("250 ", line, StringComparison.Ordinal);
            foreach (var command in new[] { "MAIL FROM:<sender@example.org>\r\n", "RCPT TO:<user@localhost>\r\n" })
            {
                await WriteAsync(command);
                Assert.StartsWith("250 ", await ReadAsync(), StringComparison.Ordinal);
            }
            await WriteAsync("DATA\r\n");
            Assert.StartsWith("354 ", await ReadAsync(), StringComparison.Ordinal);
            await WriteAsync("Subject: proxied\r\n\r\nhello\r\n.\r\n");
            Assert.StartsWith("250 ", await ReadAsync(), StringComparison.Ordinal);
            await WriteAsync("QUIT\r\n");
            Assert.StartsWith("221 ", await ReadAsync(), StringComparison.Ordinal);
        }

        public void Dispose()
        {
            _reader.Dispose();
            _client.Dispose();
            _timeout.Dispose();
        }
    }
}
