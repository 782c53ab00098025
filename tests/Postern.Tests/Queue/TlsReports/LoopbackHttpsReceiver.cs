using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Queue.TlsReports;

/// <summary>
/// A loopback HTTPS server that takes POSTs as a TLS-RPT receiver would: one request per
/// connection, the body read up to its Content-Length (bounded), answered with
/// <see cref="Status"/>. Its certificate is issued for "localhost" by a test CA written to
/// <see cref="CaFile"/>.
/// </summary>
internal sealed class LoopbackHttpsReceiver : IAsyncDisposable
{
    private const int MaxBody = 1024 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TestCertificate _ca = TestPki.CreateRoot("TLS-RPT test CA");
    private readonly TestCertificate _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postern-tlsrpt-ca-" + Guid.NewGuid().ToString("N"));

    public LoopbackHttpsReceiver()
    {
        _server = TestPki.IssueServer("localhost", _ca, rsa: false, "localhost");
        Directory.CreateDirectory(_directory);
        CaFile = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(CaFile, _ca.Certificate.ExportCertificatePem());
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public string CaFile { get; }

    public Uri Uri => new($"https://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1/tlsrpt");

    public int Status { get; set; } = 201;

    public ConcurrentQueue<(string ContentType, byte[] Body)> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _server.Certificate }, deadline.Token);
            var head = await ReadHeadAsync(tls, deadline.Token);
            var lines = head.Split("\r\n");
            var length = 0;
            var contentType = "";
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = Math.Min(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), MaxBody);
                }
                else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = value;
                }
            }
            var body = new byte[length];
            await tls.ReadExactlyAsync(body, deadline.Token);
            if (lines[0].StartsWith("POST ", StringComparison.Ordinal))
            {
                Requests.Enqueue((contentType, body));
            }
            var answer = $"HTTP/1.1 {Status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(answer), deadline.Token);
            await tls.FlushAsync(deadline.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // A client that refused our certificate or went away.
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                break;
            }
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }
        return Encoding.ASCII.GetString([.. head]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
