using System.Text;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// Seed 003's submission set-up for the AUTH tests, one per test class: "submission" (STARTTLS,
/// asks for client certificates, offers AUTH), "required" (STARTTLS, <c>auth = "require"</c>) and
/// "smtps" (implicit TLS, <c>auth = "require"</c>); every mechanism offered, SCRAM-SHA-1 offered but
/// not trusted; no relay_networks, so loopback relays only after AUTH. The user alice is made with
/// the real <c>postern user add</c> (password on stdin, with the password-equivalent secret CRAM-MD5
/// and DIGEST-MD5 need) and bound to Joe User's certificate for EXTERNAL. Mail for
/// <see cref="CertificateHub.RemoteDomain"/> goes to <see cref="Sink"/>: what reaches it was relayed.
/// </summary>
public sealed class AuthServer : IAsyncLifetime
{
    public const string User = "alice";

    public const string Password = "s3cret-Horse_42";

    /// <summary>The relayed recipient.</summary>
    public const string Recipient = "friend@" + CertificateHub.RemoteDomain;

    /// <summary>Offered but not trusted: authenticates, never relays.</summary>
    public const string UntrustedMechanism = "SCRAM-SHA-1";

    private static readonly string[] Mechanisms =
        ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "EXTERNAL", "CRAM-MD5", "DIGEST-MD5", "PLAIN", "LOGIN"];

    private readonly string _dataDir = PosternProcess.NewDataDir();

    public TestPki Pki { get; } = new();

    public SmtpSink Sink { get; } = new(SinkOptions.PlainNextHop);

    public PosternProcess Server { get; private set; } = null!;

    public int Port(string listener = "submission") => Server.EndPoint(listener).Port;

    public async Task InitializeAsync()
    {
        var dataDir = _dataDir;
        var configPath = Path.Combine(dataDir, "postern.toml");
        await File.WriteAllTextAsync(configPath, Config(Pki, Sink.Port));
        var (code, output) = await Binary.RunWithInputAsync(Password + "\n",
            "user", "add", User, "--password-equivalent", "--config", configPath, "--data-dir", dataDir);
        Assert.True(code == 0, output);
        (code, output) = await Binary.RunAsync("user", "bind-cert", User, Pki["client.pem"], "--config", configPath, "--data-dir", dataDir);
        Assert.True(code == 0, output);
        Server = await PosternProcess.StartAsync(null, dataDir, listeners: 3);
    }

    public static string Config(TestPki pki, int sinkPort, string listenerExtra = "") =>
        PosternConfig.Host("localhost")
            .WithListener("submission", "msa", tls: "starttls", clientCert: "ask", auth: "offer", extra: listenerExtra)
            .WithListener("required", "msa", tls: "starttls", auth: "require")
            .WithListener("smtps", "msa", tls: "implicit", auth: "require")
            .WithLocal(["localhost"], ["user"])
            .WithServerTls(pki)
            .WithSection($$"""
                [auth]
                mechanisms = [{{string.Join(", ", Mechanisms.Select(m => $"\"{m}\""))}}]
                trusted_mechanisms = [{{string.Join(", ", Mechanisms.Where(m => m != UntrustedMechanism).Select(m => $"\"{m}\""))}}]
                # Every test runs from 127.0.0.1: a few deliberate failures must not block the others.
                max_failures = 1000
                """)
            .WithRoute(CertificateHub.RemoteDomain, sinkPort)
            .ToToml();

    public static string Token() => "auth-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A message with CRLF line ends and the X-Token header the sink records.</summary>
    public static string Message(string token) =>
        $"From: {User}@example.org\r\nTo: {Recipient}\r\nSubject: {token}\r\nX-Token: {token}\r\n\r\nrelayed after AUTH\r\n";

    /// <summary>The message reached the next hop: Postern relayed it.</summary>
    public async Task AssertRelayedAsync(string token, string clientOutput)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Sink.Delivered.Contains((token, Recipient)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the sink got no {token}\nclient:\n{clientOutput}\npostern log:\n{Server.Log}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Nothing with <paramref name="token"/> reached the sink; called once the client saw its refusal before DATA.</summary>
    public void AssertNotRelayed(string token) =>
        Assert.DoesNotContain(Sink.Delivered, d => d.Token == token);

    /// <summary>The mail log's success line for <paramref name="mechanism"/>, as sendmail writes it.</summary>
    public Task<string> WaitForAuthLineAsync(string mechanism, bool trusted = true, string authId = User) =>
        Server.WaitForLogAsync(l => l.Contains("AUTH=server, relay=", StringComparison.Ordinal)
            && l.Contains($"[127.0.0.1], authid={authId}, mech={mechanism}, bits=0", StringComparison.Ordinal)
            && l.EndsWith(trusted ? $"mech={mechanism}, bits=0" : $"mech={mechanism}, bits=0, trusted=no", StringComparison.Ordinal));

    /// <summary>Neither the password nor any base64 form a client sends of it (PLAIN, LOGIN) is in the mail log.</summary>
    public void AssertNoSecretInLog()
    {
        var log = Server.Log;
        foreach (var secret in new[]
        {
            Password,
            Base64(Password),
            Base64($"\0{User}\0{Password}"),
            Base64($"{User}\0{User}\0{Password}"),
        })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        Directory.Delete(_dataDir, recursive: true);
        await Sink.DisposeAsync();
        Pki.Dispose();
    }
}
