using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Postern.Tests.Delivery.MtaSts;

/// <summary>
/// A loopback HTTPS server for policy fetches: TcpListener plus SslStream with a certificate from
/// the test's CA; each connection reads one request head (at most 16 KiB), records the SNI name,
/// the request line and the Host header, and gets <see cref="Response"/> as raw bytes, then the
/// connection closes. With <see cref="Silent"/> it reads the request and never answers.
/// </summary>
internal sealed class PolicyHttpsServer : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PolicyHttpsServer(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>What every request gets, status line to body.</summary>
    public byte[] Response { get; set; } = Ok("version: STSv1\r\nmode: enforce\r\nmx: mx.example.org\r\nmax_age: 86400\r\n");

    /// <summary>Read requests but never answer them.</summary>
    public bool Silent { get; set; }

    /// <summary>(SNI name, request line, Host header) of each request, in order.</summary>
    public ConcurrentQueue<(string? ServerName, string RequestLine, string? Host)> Requests { get; } = new();

    /// <summary>Completes when a request has been read.</summary>
    public TaskCompletionSource RequestRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static byte[] Ok(string body, string contentType = "text/plain; charset=utf-8") =>
        Answer("200 OK", contentType, Encoding.UTF8.GetBytes(body));

    public static byte[] Answer(string status, string? contentType, byte[] body, bool withLength = true, string extraHeaders = "")
    {
        var head = new StringBuilder($"HTTP/1.1 {status}\r\n");
        if (contentType is not null)
        {
            head.Append($"Content-Type: {contentType}\r\n");
        }
        if (withLength)
        {
            head.Append($"Content-Length: {body.Length}\r\n");
        }
        head.Append(extraHeaders).Append("Connection: close\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The loop ends by its listener being stopped.
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, timeout.Token);
            var head = await ReadHeadAsync(ssl, timeout.Token);
            if (head.Length == 0)
            {
                return; // the client refused the certificate after the handshake (TLS 1.3) and sent nothing
            }
            var lines = head.Split("\r\n");
            var host = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))?[5..].Trim();
            Requests.Enqueue((ssl.TargetHostName, lines[0], host));
            RequestRead.TrySetResult();
            if (Silent)
            {
                await Task.Delay(Timeout.Infinite, timeout.Token);
            }
            await ssl.WriteAsync(Response, timeout.Token);
            await ssl.FlushAsync(timeout.Token);
            ssl.Close();
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, refused the certificate, or the test ended.
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }
            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }
        return Encoding.ASCII.GetString(buffer, 0, length);
    }
}
