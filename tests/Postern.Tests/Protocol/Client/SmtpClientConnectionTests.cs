using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postern.Protocol.Client;

namespace Postern.Tests.Protocol.Client;

/// <summary>The outbound connection the relay client and <c>postern check</c> share, against a scripted peer on loopback.</summary>
public sealed class SmtpClientConnectionTests
{
    [Fact]
    public async Task Queued_lines_leave_in_one_write_and_each_reply_is_read_in_turn()
    {
        await using var pair = await SocketPair.OpenAsync();
        await using var connection = new SmtpClientConnection(pair.Client, TimeProvider.System, t => "late");
        connection.Queue("MAIL FROM:<a@example.org>");
        connection.Queue("RCPT TO:<b@example.org>");
        await connection.FlushAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n", await pair.ReceiveAsync(52));
        await pair.SendAsync("250 2.1.0 sender ok\r\n550 5.1.1 no such user\r\n");
        var sender = await connection.ReadAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var recipient = await connection.ReadAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal((250, "sender ok"), (sender.Code, sender.Lines[0]));
        Assert.Equal((550, "no such user"), (recipient.Code, recipient.Lines[0]));
    }

    [Fact]
    public async Task Data_the_server_sent_after_its_220_to_STARTTLS_ends_the_session_before_any_handshake()
    {
        await using var pair = await SocketPair.OpenAsync();
        await using var connection = new SmtpClientConnection(pair.Client, TimeProvider.System, t => "late");
        await pair.SendAsync("220 2.0.0 go ahead\r\n250 injected\r\n");
        var reply = await connection.CommandAsync("STARTTLS", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(220, reply.Code);
        var error = await Assert.ThrowsAsync<SmtpProtocolException>(async () =>
            await connection.StartTlsAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal("server sent data after its reply to STARTTLS", error.Message);
        Assert.Null(connection.Tls);
    }

    [Fact]
    public async Task A_reply_that_does_not_come_in_time_is_a_timeout_in_the_callers_words()
    {
        var clock = new FakeTimeProvider();
        await using var pair = await SocketPair.OpenAsync();
        await using var connection = new SmtpClientConnection(pair.Client, clock, t => $"nothing for {t.TotalSeconds} s");
        var read = connection.ReadAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(31));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("nothing for 30 s", error.Message);
    }

    [Fact]
    public async Task A_caller_that_cancels_gets_a_cancellation_not_a_timeout()
    {
        await using var pair = await SocketPair.OpenAsync();
        await using var connection = new SmtpClientConnection(pair.Client, TimeProvider.System, t => "late");
        using var cancel = new CancellationTokenSource();
        var read = connection.ReadAsync(TimeSpan.FromSeconds(30), cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_is_a_socket_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        await Assert.ThrowsAsync<SocketException>(async () =>
            await SmtpClientConnection.ConnectAsync(endPoint, TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None));
    }

    /// <summary>A connected client stream and the server's socket, on loopback.</summary>
    private sealed class SocketPair : IAsyncDisposable
    {
        private readonly Socket _server;

        private SocketPair(Stream client, Socket server)
        {
            Client = client;
            _server = server;
        }

        public Stream Client { get; }

        public static async Task<SocketPair> OpenAsync()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var accept = listener.AcceptSocketAsync();
            var socket = await SmtpClientConnection.ConnectAsync((IPEndPoint)listener.LocalEndpoint, TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
            return new SocketPair(new NetworkStream(socket, ownsSocket: true), await accept);
        }

        public async Task SendAsync(string text) => await _server.SendAsync(Encoding.ASCII.GetBytes(text));

        public async Task<string> ReceiveAsync(int length)
        {
            var buffer = new byte[length];
            var received = 0;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (received < length)
            {
                var read = await _server.ReceiveAsync(buffer.AsMemory(received), deadline.Token);
                if (read == 0)
                {
                    break;
                }
                received += read;
            }
            return Encoding.ASCII.GetString(buffer, 0, received);
        }

        public ValueTask DisposeAsync()
        {
            _server.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
