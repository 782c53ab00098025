namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// The seeds' laptop: a Postern whose own domain is laptop.test (user joe), that relays for
/// loopback clients through a smart host on a loopback port.
/// </summary>
public static class LaptopConfig
{
    /// <summary>Relaying with <c>tls = "may"</c> and no client certificate.</summary>
    public static string Plain(int smartHostPort) => Base(smartHostPort, "may");

    /// <summary>Relaying with <c>tls = "verify"</c> against the test CA, presenting Joe User's certificate.</summary>
    public static string WithClientCertificate(TestPki pki, int smartHostPort) => Base(smartHostPort, "verify") + $$"""

        verify_ca_file = "{{pki["ca.pem"]}}"

        [tls]
        client_cert = "{{pki["client.pem"]}}"
        client_key = "{{pki["client.key"]}}"
        """;

    // [delivery] comes last so the variants can add keys to it.
    private static string Base(int smartHostPort, string tls) =>
        PosternConfig.Host("laptop.test")
            .WithListener("mta", "mta")
            .WithLocal(["laptop.test"], ["joe"])
            .WithSection("[policy]\nrelay_networks = [\"127.0.0.1/32\"]")
            .WithSection($"[delivery]\nsmarthost = \"[127.0.0.1]:{smartHostPort}\"\ntls = \"{tls}\"")
            .ToToml();
}
