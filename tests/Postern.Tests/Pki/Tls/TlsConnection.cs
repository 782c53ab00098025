using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Pki.Tls;

namespace Postern.Tests.Pki.Tls;

/// <summary>A real TLS handshake over a loopback socket pair, the server side using a <see cref="ServerTlsContext"/> the way a listener does.</summary>
internal sealed class TlsConnection : IAsyncDisposable
{
    private readonly TcpClient clientSocket;
    private readonly TcpClient serverSocket;

    private TlsConnection(TcpClient clientSocket, TcpClient serverSocket)
    {
        this.clientSocket = clientSocket;
        this.serverSocket = serverSocket;
        Client = new SslStream(clientSocket.GetStream(), leaveInnerStreamOpen: false);
        Server = new SslStream(serverSocket.GetStream(), leaveInnerStreamOpen: false);
    }

    public SslStream Client { get; }

    public SslStream Server { get; }

    public Exception? ClientError { get; private set; }

    public Exception? ServerError { get; private set; }

    public string? ServerCertificateFingerprint =>
        Client.RemoteCertificate is X509Certificate2 certificate ? certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) : null;

    /// <summary>Runs both handshakes to the end; failures are recorded, not thrown.</summary>
    public static async Task<TlsConnection> HandshakeAsync(ServerTlsContext context, ClientCertificateMode mode, SslClientAuthenticationOptions clientOptions)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientSocket = new TcpClient();
        var connecting = clientSocket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var serverSocket = await listener.AcceptTcpClientAsync();
        await connecting;
        var connection = new TlsConnection(clientSocket, serverSocket);
        // Only guards against a hung test; nothing asserts on time.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var server = connection.Server.AuthenticateAsServerAsync(
            (_, hello, _, _) => ValueTask.FromResult(context.CreateServerOptions(hello.ServerName, mode)), null, timeout.Token);
        var client = connection.Client.AuthenticateAsClientAsync(clientOptions, timeout.Token);
        connection.ClientError = await Record.ExceptionAsync(() => client);
        if (connection.ClientError is not null)
        {
            // A client that gave up may leave the server waiting for bytes: closing ends that.
            connection.clientSocket.Close();
        }
        connection.ServerError = await Record.ExceptionAsync(() => server);
        return connection;
    }

    public static SslClientAuthenticationOptions ClientOptions(string? targetHost, System.Security.Authentication.SslProtocols protocols = System.Security.Authentication.SslProtocols.None) => new()
    {
        TargetHost = targetHost,
        EnabledSslProtocols = protocols,
#pragma warning disable CA5359 // the tests look at the server certificate themselves
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
    };

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        clientSocket.Dispose();
        serverSocket.Dispose();
    }
}
