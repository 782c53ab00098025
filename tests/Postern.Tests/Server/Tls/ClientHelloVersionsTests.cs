using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Postern.Server.Tls;

namespace Postern.Tests.Server.Tls;

public sealed class ClientHelloVersionsTests
{
    [Fact]
    public async Task A_client_that_allows_tls13_offers_it_in_supported_versions()
    {
        var hello = await ClientHelloAsync(SslProtocols.Tls12 | SslProtocols.Tls13);

        Assert.True(ClientHelloVersions.OffersTls13(hello));
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, ClientHelloVersions.Offered(hello));
    }

    [Fact]
    public async Task A_tls12_only_client_does_not()
    {
        var hello = await ClientHelloAsync(SslProtocols.Tls12);

        Assert.False(ClientHelloVersions.OffersTls13(hello));
        Assert.Equal(SslProtocols.Tls12, ClientHelloVersions.Offered(hello));
    }

    [Fact]
    public async Task Truncated_or_malformed_hellos_never_count_and_never_throw()
    {
        var hello = await ClientHelloAsync(SslProtocols.Tls12 | SslProtocols.Tls13);

        for (var length = 0; length < hello.Length; length++)
        {
            Assert.False(ClientHelloVersions.OffersTls13(hello.AsSpan(0, length)), $"cut at {length}");
        }
        var wrongType = (byte[])hello.Clone();
        wrongType[0] = 23;
        Assert.False(ClientHelloVersions.OffersTls13(wrongType));
        var random = new byte[600];
        new Random(7).NextBytes(random);
        random[0] = 22;
        Assert.False(ClientHelloVersions.OffersTls13(random));
    }

    [Fact]
    public async Task The_recorder_keeps_the_first_bytes_it_forwards_until_stopped()
    {
        using var inner = new MemoryStream([22, 3, 1, 0, 1, 1, 9, 9]);
        using var recorder = new ClientHelloRecorder(inner);
        var buffer = new byte[4];

        Assert.Equal(4, await recorder.ReadAsync(buffer));
        Assert.Equal([22, 3, 1, 0], recorder.Recorded.ToArray());
        Assert.Equal(4, await recorder.ReadAsync(buffer));
        Assert.Equal([22, 3, 1, 0, 1, 1, 9, 9], recorder.Recorded.ToArray());
        recorder.StopRecording();
        Assert.Equal(0, recorder.Recorded.Length);
    }

    /// <summary>The first record a real .NET client sends: its ClientHello.</summary>
    private static async Task<byte[]> ClientHelloAsync(SslProtocols protocols)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: true);
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "mail.example.org",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = static (_, _, _, _) => false,
        }, timeout.Token);

        var stream = server.GetStream();
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var record = new byte[5 + ((header[3] << 8) | header[4])];
        header.CopyTo(record, 0);
        await stream.ReadExactlyAsync(record.AsMemory(5), timeout.Token);
        server.Close();
        await Record.ExceptionAsync(() => handshake);
        await tls.DisposeAsync();
        return record;
    }
}
