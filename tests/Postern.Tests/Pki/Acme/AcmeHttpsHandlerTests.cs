using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Acme.Protocol;
using Postern.Tests.Delivery.MtaSts;

namespace Postern.Tests.Pki.Acme;

/// <summary>The real HTTPS handler against a loopback HTTPS server: whom it trusts, and that it follows no redirect.</summary>
public sealed class AcmeHttpsHandlerTests : IDisposable
{
    private const string Directory = """{"newNonce":"https://localhost/n","newAccount":"https://localhost/a","newOrder":"https://localhost/o"}""";

    private readonly X509Certificate2 _ca = PolicyTestPki.CreateCa("CN=Postern test ACME server CA");
    private readonly AcmeAccountKey _key = AcmeAccountKey.CreateEcdsa();

    [Fact]
    public async Task A_server_whose_ca_is_in_directory_ca_file_is_trusted()
    {
        await using var server = Server("localhost");

        using var client = Client(server, [_ca]);
        var directory = await client.GetDirectoryAsync(CancellationToken.None);

        Assert.Equal(new Uri("https://localhost/o"), directory.NewOrder);
        Assert.Equal("GET /directory HTTP/1.1", Assert.Single(server.Requests).RequestLine);
    }

    [Fact]
    public async Task Without_directory_ca_file_a_private_ca_is_not_trusted()
    {
        await using var server = Server("localhost");

        using var client = Client(server, null);
        var error = await Assert.ThrowsAsync<AcmeException>(() => client.GetDirectoryAsync(CancellationToken.None));

        Assert.Equal("directory: the HTTPS certificate of localhost did not verify against the system CAs or acme.directory_ca_file", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_refused_even_from_the_trusted_ca()
    {
        await using var server = Server("acme.example.org");

        using var client = Client(server, [_ca]);
        var error = await Assert.ThrowsAsync<AcmeException>(() => client.GetDirectoryAsync(CancellationToken.None));

        Assert.Contains("did not verify", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_redirect_is_an_error_and_is_not_followed()
    {
        await using var server = Server("localhost");
        server.Response = PolicyHttpsServer.Answer("302 Found", "text/plain", [], extraHeaders: $"Location: https://localhost:{server.EndPoint.Port}/elsewhere\r\n");

        using var client = Client(server, [_ca]);
        var error = await Assert.ThrowsAsync<AcmeException>(() => client.GetDirectoryAsync(CancellationToken.None));

        Assert.Equal("directory: localhost answered HTTP 302 Found", error.Message);
        Assert.Single(server.Requests);
    }

    public void Dispose()
    {
        _key.Dispose();
        _ca.Dispose();
    }

    private PolicyHttpsServer Server(string name) => new(PolicyTestPki.CreateServer(_ca, name))
    {
        Response = PolicyHttpsServer.Ok(Directory, "application/json"),
    };

    private AcmeClient Client(PolicyHttpsServer server, X509Certificate2Collection? extraTrust) =>
        new(new Uri($"https://localhost:{server.EndPoint.Port}/directory"), _key, AcmeHttpsHandler.Create(extraTrust, TimeProvider.System), TimeProvider.System);
}
