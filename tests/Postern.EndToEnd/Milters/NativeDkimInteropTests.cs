using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Milters;

/// <summary>
/// Postern's own DKIM signatures checked by other implementations: keys made with
/// <c>postern dkim keygen</c> (RSA and Ed25519), two <c>[[dkim]]</c> entries for one domain, mail an
/// authenticated user relays to a second Postern whose mta listener runs OpenDKIM in verify mode
/// (the keys from keygen's DNS records, through TestDNSData): OpenDKIM passes both signatures and
/// python3-dkim verifies the delivered copy too. The reverse: a message OpenDKIM signed passes
/// Postern's authentication results, the key coming from a private DNS server.
/// </summary>
public sealed class NativeDkimInteropTests
{
    [Fact]
    public async Task Postern_signs_with_rsa_and_ed25519_and_OpenDkim_and_python3_dkim_verify_both()
    {
        var keys = PosternProcess.NewDataDir();
        PosternProcess? receiver = null;
        PosternProcess? signer = null;
        OpenDkim? verifier = null;
        using var pki = new TestPki();
        try
        {
            var records = new Dictionary<string, string>
            {
                ["rsa2026._domainkey.example.test"] = await KeyGenAsync(keys, "rsa2026", "rsa"),
                ["ed2026._domainkey.example.test"] = await KeyGenAsync(keys, "ed2026", "ed25519"),
            };
            verifier = await OpenDkim.StartAsync(domain: "verifier.test", internalHosts: "192.0.2.1", mode: "v", authservId: "verifier.test", trustedKeys: records);
            receiver = await PosternProcess.StartAsync(PosternConfig.Host("mx.receiver.test")
                .WithListener("mta", "mta", extra: "milters = [\"opendkim\"]")
                .WithLocal(["receiver.test"], ["user"])
                .WithSection(MilteredPostern.MilterEntry("opendkim", verifier.Daemon))
                .ToToml(), listeners: 1);
            signer = await MilteredPostern.StartAsync(PosternConfig.Host("out.example.test")
                .WithListener("submission", "msa", tls: "starttls", auth: "require")
                .WithServerTls(pki)
                .WithRoute("receiver.test", receiver.Mta.Port)
                .WithSection($"""
                    [[dkim]]
                    domain = "example.test"
                    selector = "rsa2026"
                    key = "{keys}/rsa2026.key"

                    [[dkim]]
                    domain = "example.test"
                    selector = "ed2026"
                    key = "{keys}/ed2026.key"
                    """)
                .ToToml(), listeners: 1);

            var token = "native-" + Guid.NewGuid().ToString("N")[..12];
            var output = await new SmtpTransaction($"{MilteredPostern.User}@example.test", ["user@receiver.test"],
                $"From: Alice <{MilteredPostern.User}@example.test>\nTo: user@receiver.test\nSubject: native {token}\nMessage-ID: <{token}@example.test>\nX-Token: {token}\n\nsigned by Postern itself\n")
            {
                CaFile = pki["ca.pem"],
                Login = (MilteredPostern.User, MilteredPostern.Password),
            }.RunAsync(signer.EndPoint("submission").Port);
            Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);

            var delivered = await receiver.WaitForMailAsync("user", token, TimeSpan.FromSeconds(60));
            var results = Regex.Replace(delivered.ReplaceLineEndings("\n"), "\n[ \t]+", " ").Split('\n')
                .Where(l => l.StartsWith("Authentication-Results: verifier.test;", StringComparison.Ordinal)).ToList();
            var result = Assert.Single(results);
            Assert.Matches(@"dkim=pass [^;]*header\.d=example\.test [^;]*header\.s=rsa2026", result);
            Assert.Matches(@"dkim=pass [^;]*header\.d=example\.test [^;]*header\.s=ed2026", result);
            var (verified, check) = await DkimCheck.VerifyAsync(System.Text.Encoding.UTF8.GetBytes(delivered.ReplaceLineEndings("\r\n")), records);
            Assert.True(verified, check + "\n" + delivered);
            Assert.Contains("signatures=2 ", check, StringComparison.Ordinal);
        }
        finally
        {
            await MilteredPostern.StopAsync(signer);
            await MilteredPostern.StopAsync(receiver);
            if (verifier is not null)
            {
                await verifier.DisposeAsync();
            }
            Directory.Delete(keys, recursive: true);
        }
    }

    [Fact]
    public async Task A_message_OpenDkim_signed_passes_postern_authentication_results()
    {
        PosternProcess? receiver = null;
        PosternProcess? sender = null;
        await using var signer = await OpenDkim.StartAsync(internalHosts: "127.0.0.1");
        // The keys and the DMARC policy as DNS would publish them, on a private server Postern asks.
        await using var dns = await TestDns.StartAsync(new Dictionary<string, string>
        {
            [signer.KeyRecordName] = signer.KeyRecord,
            ["_dmarc.example.test"] = "v=DMARC1; p=reject",
        });
        try
        {
            receiver = await PosternProcess.StartAsync(PosternConfig.Host("mx.receiver.test")
                .WithListener("mta", "mta")
                .WithLocal(["receiver.test"], ["user"])
                .WithSection($"[authentication_results]\nmode = \"on\"\n\n[delivery]\ndns_servers = [\"{dns.Server}\"]")
                .ToToml(), listeners: 1);
            // A relay host for example.test whose OpenDKIM signs what its local network sends.
            sender = await PosternProcess.StartAsync(PosternConfig.Host("relay.example.test")
                .WithListener("mta", "mta", extra: "milters = [\"opendkim\"]")
                .WithRoute("receiver.test", receiver.Mta.Port)
                .WithSection("[policy]\nrelay_networks = [\"127.0.0.1/32\"]")
                .WithSection(MilteredPostern.MilterEntry("opendkim", signer.Daemon))
                .ToToml(), listeners: 1);

            var token = "reverse-" + Guid.NewGuid().ToString("N")[..12];
            var output = await new SmtpTransaction("joe@example.test", ["user@receiver.test"],
                $"From: Joe <joe@example.test>\nTo: user@receiver.test\nSubject: {token}\nMessage-ID: <{token}@example.test>\nX-Token: {token}\n\nsigned by OpenDKIM\n")
                .RunAsync(sender.Mta.Port);
            Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);

            var delivered = await receiver.WaitForMailAsync("user", token, TimeSpan.FromSeconds(60));
            var result = Regex.Replace(delivered.ReplaceLineEndings("\n"), "\n[ \t]+", " ").Split('\n')
                .Single(l => l.StartsWith("Authentication-Results: mx.receiver.test;", StringComparison.Ordinal));
            Assert.Matches(@"dkim=pass [^;]*header\.d=example\.test", result);
            Assert.Matches(@"dmarc=pass [^;]*header\.from=example\.test", result);
        }
        finally
        {
            await MilteredPostern.StopAsync(sender);
            await MilteredPostern.StopAsync(receiver);
        }
    }

    /// <summary><c>postern dkim keygen</c>: the key into <paramref name="directory"/>, the TXT record it prints joined into one value.</summary>
    private static async Task<string> KeyGenAsync(string directory, string selector, string algorithm)
    {
        var (code, output) = await Binary.RunAsync("dkim", "keygen", "--domain", "example.test", "--selector", selector,
            "--algorithm", algorithm, "--out", Path.Combine(directory, selector + ".key"));
        Assert.True(code == 0, output);
        // Standard output holds the zone entry, NAME. IN TXT ( "..." "..." ); the notes after it quote other things.
        var start = output.IndexOf(selector + "._domainkey.example.test. IN TXT (", StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        return OpenDkim.JoinTxt(output[start..output.IndexOf(')', start)]);
    }
}
