using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Postern.Core.Tls;
using Postern.Server.Tls;

namespace Postern.Tests.Server.Tls;

public sealed class ClientHelloParserTests
{
    [Fact]
    public async Task A_client_that_allows_tls13_offers_it_in_supported_versions()
    {
        var hello = await ClientHelloAsync(SslProtocols.Tls12 | SslProtocols.Tls13);

        Assert.Equal(new ClientHelloFacts(SslProtocols.Tls12 | SslProtocols.Tls13, true), ClientHelloParser.Parse(hello));
    }

    [Fact]
    public async Task A_tls12_only_client_does_not()
    {
        var hello = await ClientHelloAsync(SslProtocols.Tls12);

        Assert.Equal(new ClientHelloFacts(SslProtocols.Tls12, true), ClientHelloParser.Parse(hello));
    }

    [Fact]
    public async Task Truncated_or_malformed_hellos_never_count_and_never_throw()
    {
        var hello = await ClientHelloAsync(SslProtocols.Tls12 | SslProtocols.Tls13);

        for (var length = 0; length < hello.Length; length++)
        {
            Assert.Equal(ClientHelloFacts.Unknown, ClientHelloParser.Parse(hello.AsSpan(0, length)));
        }
        var wrongType = (byte[])hello.Clone();
        wrongType[0] = 23;
        Assert.Equal(ClientHelloFacts.Unknown, ClientHelloParser.Parse(wrongType));
        var random = new byte[600];
        new Random(7).NextBytes(random);
        random[0] = 22;
        Assert.Equal(ClientHelloFacts.Unknown, ClientHelloParser.Parse(random));
    }

    [Theory]
    [InlineData("RSA-PSS+SHA256", "", false)]
    [InlineData("RSA-PSS+SHA256:RSA+SHA256", "-tls1_2", false)]
    [InlineData("ECDSA+SHA256:RSA-PSS+SHA256", "", true)]
    [InlineData("ECDSA+SHA384", "-tls1_2", true)]
    public async Task Openssl_hellos_say_whether_ecdsa_is_acceptable(string sigalgs, string version, bool ecdsa)
    {
        var hello = await OpenSslClientHelloAsync($"-sigalgs {sigalgs} {version}");

        Assert.Equal(ecdsa, ClientHelloParser.Parse(hello).AcceptsEcdsa);
        Assert.Equal(version.Length == 0, ClientHelloParser.Parse(hello).Protocols.HasFlag(SslProtocols.Tls13));
    }

    [Fact]
    public async Task A_tls12_hello_with_ecdsa_signatures_but_no_ecdsa_suite_takes_rsa()
    {
        var hello = await OpenSslClientHelloAsync("-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256");

        Assert.Equal(new ClientHelloFacts(SslProtocols.Tls12, false), ClientHelloParser.Parse(hello));
    }

    [Fact]
    public void A_hello_without_signature_algorithms_takes_rsa_and_one_without_extensions_too()
    {
        var ecdsaSuite = new byte[] { 0xC0, 0x2B };
        var withVersionsOnly = Hello(ecdsaSuite, Extension(43, [4, 0x03, 0x04, 0x03, 0x03]));
        var noExtensions = Hello(ecdsaSuite, null);
        var ecdsaTls13Only = Hello([0x13, 0x01], Extension(43, [2, 0x03, 0x04]), Extension(13, [0, 2, 0x04, 0x03]));
        var ed25519Only = Hello([0x13, 0x01], Extension(43, [2, 0x03, 0x04]), Extension(13, [0, 2, 0x08, 0x07]));
        var oddSchemes = Hello([0x13, 0x01], Extension(13, [0, 3, 0x04, 0x03, 0x01]));

        Assert.Equal(new ClientHelloFacts(SslProtocols.Tls12 | SslProtocols.Tls13, false), ClientHelloParser.Parse(withVersionsOnly));
        Assert.Equal(new ClientHelloFacts(SslProtocols.Tls12, false), ClientHelloParser.Parse(noExtensions));
        Assert.Equal(new ClientHelloFacts(SslProtocols.Tls12 | SslProtocols.Tls13, true), ClientHelloParser.Parse(ecdsaTls13Only));
        Assert.Equal(new ClientHelloFacts(SslProtocols.Tls12 | SslProtocols.Tls13, false), ClientHelloParser.Parse(ed25519Only));
        Assert.Equal(ClientHelloFacts.Unknown, ClientHelloParser.Parse(oddSchemes));
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

    /// <summary>A ClientHello record with the given suites and extensions (null: no extensions block at all).</summary>
    private static byte[] Hello(byte[] suites, params byte[][]? extensions)
    {
        var body = new List<byte> { 0x03, 0x03 };
        body.AddRange(new byte[32]);
        body.Add(0); // no session id
        body.AddRange([(byte)(suites.Length >> 8), (byte)suites.Length, .. suites]);
        body.AddRange([1, 0]); // null compression
        if (extensions is not null)
        {
            var all = extensions.SelectMany(e => e).ToArray();
            body.AddRange([(byte)(all.Length >> 8), (byte)all.Length, .. all]);
        }
        byte[] handshake = [1, 0, (byte)(body.Count >> 8), (byte)body.Count, .. body];
        return [22, 3, 1, (byte)(handshake.Length >> 8), (byte)handshake.Length, .. handshake];
    }

    private static byte[] Extension(ushort type, byte[] data) =>
        [(byte)(type >> 8), (byte)type, (byte)(data.Length >> 8), (byte)data.Length, .. data];

    /// <summary>The first record <c>openssl s_client</c> sends with <paramref name="arguments"/>.</summary>
    private static async Task<byte[]> OpenSslClientHelloAsync(string arguments)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var start = new System.Diagnostics.ProcessStartInfo("openssl", $"s_client -connect 127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port} -servername mail.example.org {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var server = await listener.AcceptTcpClientAsync(timeout.Token);
            return await ReadRecordAsync(server.GetStream(), timeout.Token);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static async Task<byte[]> ReadRecordAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var record = new byte[5 + ((header[3] << 8) | header[4])];
        header.CopyTo(record, 0);
        await stream.ReadExactlyAsync(record.AsMemory(5), cancellationToken);
        return record;
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
