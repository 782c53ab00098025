namespace Postern.EndToEnd;

/// <summary>
/// Seed 001's openssl CA recipe done with the real binary: ca init, issue, export; the results
/// checked with openssl itself (verify, pkcs12).
/// </summary>
public sealed class CertCommandTests
{
    [Fact]
    public async Task The_CA_issue_and_export_commands_make_what_openssl_verifies_and_opens()
    {
        var root = Path.Combine(Path.GetTempPath(), "postern-e2e-cert-" + Guid.NewGuid().ToString("N"));
        var ca = Path.Combine(root, "ca");
        try
        {
            var (code, output) = await Binary.RunAsync("cert", "ca", "init", "--dir", ca, "--name", "Joe's Certificate Authority", "--subject", "/C=US/ST=Washington/O=Foo Enterprises");
            Assert.True(code == 0, output);
            (code, output) = await Binary.RunAsync("cert", "issue", "server", "--ca-dir", ca, "--host", "mail.example.org", "--san", "IP:127.0.0.1");
            Assert.True(code == 0, output);
            (code, output) = await Binary.RunAsync("cert", "issue", "client", "joe", "--ca-dir", ca, "--email", "joe@example.org");
            Assert.True(code == 0, output);

            var caPem = Path.Combine(ca, "ca.pem");
            (code, output) = await ExternalCommand.RunAsync("openssl", "verify", "-CAfile", caPem, "-purpose", "sslclient", Path.Combine(ca, "issued", "joe.pem"));
            Assert.True(code == 0, output);
            (code, output) = await ExternalCommand.RunAsync("openssl", "verify", "-CAfile", caPem, "-purpose", "sslserver", "-verify_hostname", "mail.example.org", Path.Combine(ca, "issued", "mail.example.org.pem"));
            Assert.True(code == 0, output);

            var p12 = Path.Combine(root, "joe.p12");
            (code, output) = await Binary.RunWithInputAsync("s3cret\n", "cert", "export", "joe", "--p12", "--ca-dir", ca, "--name", "Joe User's Personal Certificate", "--out", p12);
            Assert.True(code == 0, output);
            (code, output) = await ExternalCommand.RunAsync("openssl", "pkcs12", "-in", p12, "-passin", "pass:s3cret", "-nodes", "-info");
            Assert.True(code == 0, output);
            Assert.Contains("friendlyName: Joe User's Personal Certificate", output, StringComparison.Ordinal);
            Assert.Contains("AES-256-CBC", output, StringComparison.Ordinal);
            Assert.Contains("BEGIN PRIVATE KEY", output, StringComparison.Ordinal);
            Assert.Contains("CN=Joe's Certificate Authority", output.Replace("CN = ", "CN=", StringComparison.Ordinal), StringComparison.Ordinal);

            (code, output) = await Binary.RunAsync("cert", "list", "--ca-dir", ca);
            Assert.True(code == 0, output);
            (code, output) = await Binary.RunAsync("cert", "list", "--ca-dir", ca, "--warn-days", "1000");
            Assert.True(code == 1, output);
            Assert.Contains("EXPIRING", output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
