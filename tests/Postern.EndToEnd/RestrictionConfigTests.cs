using System.Globalization;

namespace Postern.EndToEnd;

/// <summary>
/// A custom <c>policy.recipient_restrictions</c> without reject_unauth_destination would make an
/// open relay: <c>postern serve</c> refuses to start and <c>postern config check</c> refuses the
/// file, both with exit 78 (EX_CONFIG), naming the key and its line.
/// </summary>
public sealed class RestrictionConfigTests
{
    [Fact]
    public async Task Recipient_restrictions_without_reject_unauth_destination_are_refused_by_serve_and_config_check()
    {
        using var pki = new TestPki();
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dataDir, "access"), "# empty\n");
            var config = CertificateHub.Config(pki, sinkPort: 25, "recipient_restrictions = [\"permit_local_domains\", \"permit_tls_clientcerts\"]");
            var configPath = Path.Combine(dataDir, "postern.toml");
            await File.WriteAllTextAsync(configPath, config);
            var line = (config.ReplaceLineEndings("\n").Split('\n').ToList().FindIndex(l => l.Contains("recipient_restrictions", StringComparison.Ordinal)) + 1)
                .ToString(CultureInfo.InvariantCulture);

            var (checkCode, check) = await Binary.RunAsync("config", "check", "--config", configPath, "--data-dir", dataDir);
            var (serveCode, serve) = await Binary.RunAsync("serve", "--config", configPath, "--data-dir", dataDir);

            foreach (var (code, output) in new[] { (checkCode, check), (serveCode, serve) })
            {
                Assert.True(code == 78, output);
                Assert.Contains("recipient_restrictions", output, StringComparison.Ordinal);
                Assert.Contains("reject_unauth_destination", output, StringComparison.Ordinal);
                Assert.Contains(":" + line, output, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("listening on", serve, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
