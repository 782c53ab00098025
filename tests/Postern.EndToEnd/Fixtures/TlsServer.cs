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
        PosternConfig.Host("localhost")
            .WithListener("mta", "mta", tls: "starttls", clientCert: "ask")
            .WithListener("msa", "msa", tls: "starttls")
            .WithListener("smtps", "msa", tls: "implicit")
            .WithLocal(["localhost"], ["user", "alice"])
            .WithServerTls(pki, serverCert, serverKey)
            .ToToml();

    public async Task InitializeAsync() => Server = await PosternProcess.StartAsync(Config(Pki), listeners: 3);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Server.DataDir, recursive: true);
        Pki.Dispose();
    }
}
