using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Pki.Tls;
using Postern.Server.Connections;
using Postern.Tests.Delivery;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Server.Tls;

/// <summary>
/// An ECDSA and an RSA certificate for the same name (as [acme] key_type = ["ecdsa", "rsa"] leaves
/// them): the connection's STARTTLS path reads the real client's hello and serves ECDSA to clients
/// that can verify it and RSA to the rest.
/// </summary>
public sealed class DualCertificateHandshakeTests : IDisposable
{
    private const string HostName = "mail.example.org";
    private readonly TempDirectory directory = new();
    private readonly TestCertificate root = TestPki.CreateRoot("Dual Test Root", rsa: true);
    private readonly TestCertificate ecdsa;
    private readonly TestCertificate rsa;
    private readonly ServerTlsContext context;

    public DualCertificateHandshakeTests()
    {
        ecdsa = TestPki.IssueServer(HostName, root);
        rsa = TestPki.IssueServer(HostName, root, rsa: true);
        var settings = new TlsSettings
        {
            GeneratedCertificateDirectory = directory.Combine("generated"),
            AcmeCertificates = [Live("ecdsa.pem", ecdsa), Live("rsa.pem", rsa)],
        };
        var (material, _) = TlsMaterialLoader.Load(settings, HostName);
        context = new ServerTlsContext(settings, HostName, material, TimeProvider.System);
    }

    public void Dispose()
    {
        context.Dispose();
        directory.Dispose();
    }

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task A_dotnet_client_gets_the_ecdsa_certificate(SslProtocols protocols)
    {
        var served = await ServedCertificateAsync(async (port, token) =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, token);
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsClientAsync(TlsConnection.ClientOptions(HostName, protocols), token);
        });

        Assert.Equal(ecdsa.Certificate.Thumbprint, served);
    }

    [Theory]
    [InlineData("-sigalgs RSA-PSS+SHA256", "rsa")]
    [InlineData("-tls1_2 -sigalgs RSA+SHA256", "rsa")]
    [InlineData("-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384", "rsa")]
    [InlineData("", "ecdsa")]
    [InlineData("-tls1_2", "ecdsa")]
    public async Task Openssl_gets_the_certificate_its_signature_algorithms_allow(string arguments, string expected)
    {
        var served = await ServedCertificateAsync(async (port, token) =>
        {
            var start = new ProcessStartInfo("openssl", $"s_client -connect 127.0.0.1:{port} -servername {HostName} {arguments}")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            try
            {
                // Runs until the server has seen the handshake (the token ends then) or gives up.
                await process.WaitForExitAsync(token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None);
            }
        });

        Assert.Equal((expected == "rsa" ? rsa : ecdsa).Certificate.Thumbprint, served);
    }

    /// <summary>
    /// Runs <paramref name="client"/> against one handshake on <see cref="SmtpConnection"/>'s STARTTLS
    /// path and returns the served certificate's thumbprint; the client's token ends after the handshake.
    /// </summary>
    private async Task<string> ServedCertificateAsync(Func<int, CancellationToken, Task> client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var clientDone = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientRun = client(((IPEndPoint)listener.LocalEndpoint).Port, clientDone.Token);
        try
        {
            using var socket = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var connection = new SmtpConnection(new PassThrough(socket.GetStream()), 1000, TimeProvider.System);
            await connection.StartTlsAsync((name, hello) => context.CreateServerOptions(name, hello, ClientCertificateMode.None), timeout.Token);
            return ((X509Certificate2)connection.Tls!.LocalCertificate!).Thumbprint;
        }
        finally
        {
            await clientDone.CancelAsync();
            await Record.ExceptionAsync(() => clientRun);
        }
    }

    private CertificateFiles Live(string name, TestCertificate certificate)
    {
        var path = directory.WriteFile(name, certificate.Pkcs8KeyPem + certificate.CertificatePem);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new CertificateFiles(path, null);
    }

    private sealed class PassThrough(Stream inner) : ReadObservingStream(inner)
    {
        protected override void OnRead(ReadOnlySpan<byte> data)
        {
        }
    }
}
