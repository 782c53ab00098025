namespace Postern.EndToEnd.Acme;

/// <summary>
/// External account binding (RFC 8555 7.3.4) against a pebble that requires it, as ZeroSSL, Google
/// and step-ca can: <c>postern cert acme register</c> with eab_kid and eab_hmac_key creates the
/// account, and without them fails with one clear line; with no daemon running, <c>cert acme
/// renew</c> then orders the certificate itself, with its own responder.
/// </summary>
public sealed class AcmeEabTests
{
    [Fact]
    public async Task Registration_with_the_eab_key_works_and_without_it_fails_with_a_clear_line()
    {
        await using var ca = await AcmeTestCa.StartAsync(eabKeys: new Dictionary<string, string> { [AcmeEab.KeyId] = AcmeEab.MacKey });
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            var configPath = Path.Combine(dataDir, "postern.toml");
            await File.WriteAllTextAsync(configPath, AcmePostern.Config(ca).ToToml());
            var (refusedCode, refused) = await AcmePostern.RunAsync(configPath, dataDir, "cert", "acme", "register");
            Assert.True(refusedCode != 0, refused);
            Assert.Matches("(?i)external ?account", refused);
            Assert.DoesNotContain("   at ", refused, StringComparison.Ordinal);
            Assert.Single(refused.Split('\n'), l => l.Trim().Length > 0);
            Assert.False(File.Exists(Path.Combine(dataDir, "acme", "account.json")), "no account without the binding");

            await File.WriteAllTextAsync(configPath, AcmePostern.Config(ca, acmeExtra: $"eab_kid = \"{AcmeEab.KeyId}\"\neab_hmac_key = \"{AcmeEab.MacKey}\"").ToToml());
            var (code, output) = await AcmePostern.RunAsync(configPath, dataDir, "cert", "acme", "register");
            Assert.True(code == 0, output + "\n" + ca.Output);
            Assert.Contains(ca.Pebble.DirectoryUrl[..^"dir".Length] + "my-account/", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dataDir, "acme", "account.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "acme", "account.key")));
            Assert.DoesNotContain(AcmeEab.MacKey, await File.ReadAllTextAsync(Path.Combine(dataDir, "acme", "account.json")), StringComparison.Ordinal);

            // No daemon: renew orders through the bound account, answering http-01 with its own responder.
            var (renewCode, renew) = await AcmePostern.RunAsync(configPath, dataDir, "cert", "acme", "renew");
            Assert.True(renewCode == 0, renew + "\n" + ca.Output);
            using var leaf = AcmePostern.LiveLeaf(dataDir);
            Assert.Equal("CN=" + AcmePostern.HostName, leaf.Subject);
            Assert.Contains($"Attempting to validate w/ HTTP: http://{AcmePostern.HostName}:{ca.HttpPort}/", ca.Pebble.Output, StringComparison.Ordinal);

            // config show never prints the MAC key.
            var (showCode, show) = await AcmePostern.RunAsync(configPath, dataDir, "config", "show");
            Assert.True(showCode == 0, show);
            Assert.DoesNotContain(AcmeEab.MacKey, show, StringComparison.Ordinal);
            Assert.Contains("eab_hmac_key = \"(set)\"", show, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
