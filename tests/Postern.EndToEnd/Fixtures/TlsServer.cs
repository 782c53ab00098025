namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// One server with the seeds' TLS set-up, shared by the TLS client tests: "mta" (STARTTLS, asks
/// for client certificates, trusts the test CA), "msa" (STARTTLS, never asks) and "smtps"
/// (implicit TLS).
/// </summary>
public sealed class TlsServer : IAsyncLifetime
{
    public TestPki Pki { get; } = new();

    public PosternProcess Server { get; private set; } = null!;

    public static string Config(TestPki pki, string serverCert = "server.pem", string serverKey = "server.key") =>
        $$"""
        [server]
        hostname = "localhost"

        [[listener]]
        name = "mta"
        address = "127.0.0.1:0"
        role = "mta"
        tls = "starttls"
        client_cert = "ask"

        [[listener]]
        name = "msa"
        address = "127.0.0.1:0"
        role = "msa"
        tls = "starttls"

        [[listener]]
        name = "smtps"
        address = "127.0.0.1:0"
        role = "msa"
        tls = "implicit"

        [local]
        domains = ["localhost"]
        users = ["user", "alice"]

        [tls]
        server_cert = "{{pki[serverCert]}}"
        server_key = "{{pki[serverKey]}}"
        ca_file = "{{pki["ca.pem"]}}"
        """;

    public async Task InitializeAsync() => Server = await PosternProcess.StartAsync(Config(Pki), listeners: 3);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Server.DataDir, recursive: true);
        Pki.Dispose();
    }
}
