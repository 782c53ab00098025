using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>
/// The certificate chain a server presents to <c>openssl s_client</c> (STARTTLS or implicit TLS),
/// with OpenSSL's own verdict on it against a root file and a host name: what a real client sees
/// on the next handshake.
/// </summary>
public sealed partial record ServedCertificate(IReadOnlyList<X509Certificate2> Chain, bool Verified, string Output)
{
    /// <summary>The server's own certificate (the chain's first).</summary>
    public X509Certificate2 Leaf => Chain[0];

    /// <summary>The leaf's serial number (hex, as openssl prints it).</summary>
    public string Serial => Leaf.SerialNumber;

    /// <summary>"ecdsa" or "rsa", by the leaf's public key.</summary>
    public string KeyType => Leaf.GetECDsaPublicKey() is not null ? "ecdsa" : Leaf.GetRSAPublicKey() is not null ? "rsa" : "other";

    /// <summary>The leaf's DNS subject alternative names.</summary>
    public IReadOnlyList<string> DnsNames =>
        [.. Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(san => san.EnumerateDnsNames())];

    /// <summary>
    /// Connects to 127.0.0.1:<paramref name="port"/> (SMTP STARTTLS when <paramref name="starttls"/>,
    /// else TLS first), asks for <paramref name="serverName"/> by SNI, verifies the chain against
    /// <paramref name="rootFile"/> and the name, and returns what was presented. <paramref name="sigalgs"/>
    /// limits the signature algorithms offered (openssl's <c>-sigalgs</c>, e.g. <c>RSA-PSS+SHA256</c>).
    /// </summary>
    public static async Task<ServedCertificate> FetchAsync(int port, bool starttls, string serverName, string rootFile, string? sigalgs = null)
    {
        List<string> arguments =
        [
            "s_client", "-connect", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "-servername", serverName, "-verify_hostname", serverName, "-CAfile", rootFile, "-showcerts",
        ];
        if (starttls)
        {
            arguments.AddRange(["-starttls", "smtp", "-name", "probe.e2e.test"]);
        }
        if (sigalgs is not null)
        {
            arguments.AddRange(["-sigalgs", sigalgs]);
        }
        // No input: s_client shakes hands, prints the chain and the verdict, reads EOF and leaves.
        var (code, output) = await ExternalCommand.RunWithInputAsync("", "openssl", [.. arguments]);
        var chain = PemCertificate().Matches(output).Select(m => X509Certificate2.CreateFromPem(m.Value)).ToList();
        if (code != 0 || chain.Count == 0)
        {
            throw new InvalidOperationException($"openssl s_client got no certificate from 127.0.0.1:{port}:\n{output}");
        }
        return new ServedCertificate(chain, output.Contains("Verify return code: 0 (ok)", StringComparison.Ordinal), output);
    }

    /// <summary>Fetches until the served leaf differs from <paramref name="serial"/> (a swap without restart), bounded.</summary>
    public static async Task<ServedCertificate> WaitForOtherThanAsync(string serial, int port, bool starttls, string serverName, string rootFile, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var served = await FetchAsync(port, starttls, serverName, rootFile);
            if (served.Serial != serial || DateTime.UtcNow > deadline)
            {
                return served;
            }
            await Task.Delay(250);
        }
    }

    [GeneratedRegex("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----")]
    private static partial Regex PemCertificate();
}
