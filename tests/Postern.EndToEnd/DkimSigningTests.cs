using System.Text.RegularExpressions;

namespace Postern.EndToEnd;

/// <summary>
/// Native DKIM signing end to end: keys made by `postern dkim keygen`, a sending Postern with two
/// [[dkim]] entries relaying to a second Postern, and the delivered copy verified by python3-dkim
/// (dkimpy, an implementation of its own) against the records keygen printed. The relay in between
/// is an outside client to the receiving Postern, which therefore adds no signature of its own.
/// </summary>
public sealed partial class DkimSigningTests
{
    [Fact]
    public async Task Mail_relayed_from_a_trusted_client_carries_rsa_and_ed25519_signatures_that_verify_at_the_next_hop()
    {
        var keys = PosternProcess.NewDataDir();
        var rsaRecord = await KeyGenAsync(keys, "s2026", "rsa");
        var ed25519Record = await KeyGenAsync(keys, "e2026", "ed25519");
        var hub = await PosternProcess.StartAsync(
            PosternConfig.Host("hub.test").WithListener("mta", "mta").WithLocal(["hub.test"], ["user"]).ToToml(), listeners: 1);
        PosternProcess? sender = null;
        try
        {
            sender = await PosternProcess.StartAsync(
                PosternConfig.Host("out.example.org")
                    .WithListener("mta", "mta")
                    .WithLocal(["out.example.org"], ["postmaster"])
                    .WithRoute("hub.test", hub.Mta.Port)
                    .WithSection($"""
                        [policy]
                        relay_networks = ["127.0.0.0/8"]

                        [[dkim]]
                        domain = "example.org"
                        selector = "s2026"
                        key = "{keys}/s2026.key"

                        [[dkim]]
                        domain = "example.org"
                        selector = "e2026"
                        key = "{keys}/e2026.key"
                        algorithm = "ed25519"
                        """)
                    .ToToml(),
                listeners: 1);
            var token = "dkim-" + Guid.NewGuid().ToString("N");
            var send = $$"""
                import smtplib
                message = ("From: Alice <alice@example.org>\r\nTo: user@hub.test\r\nSubject: {{token}}   with\r\n\tfolding\r\n"
                           "Message-ID: <{{token}}@example.org>\r\n\r\n.a leading dot\r\nruns  of   space  \r\n\r\n\r\n")
                s = smtplib.SMTP("127.0.0.1", {{sender.Mta.Port}}, local_hostname="client.test", timeout=30)
                assert s.sendmail("alice@example.org", ["user@hub.test"], message) == {}
                s.quit()
                """;
            var (code, output) = await ExternalCommand.RunAsync("/usr/bin/python3", "-c", send);
            Assert.True(code == 0, output);

            var delivered = await hub.WaitForMailAsync("user", token);
            await sender.WaitForLogAsync(l => l.Contains("DKIM-Signature added: d=example.org, s=e2026, a=ed25519-sha256", StringComparison.Ordinal));
            Assert.Equal(2, DkimSignature().Count(delivered));
            var copy = Path.Combine(keys, "delivered.eml");
            await File.WriteAllTextAsync(copy, delivered);
            var verify = $$"""
                import dkim, sys
                records = {b"s2026._domainkey.example.org.": b"{{rsaRecord}}", b"e2026._domainkey.example.org.": b"{{ed25519Record}}"}
                message = open(sys.argv[1], "rb").read()
                results = [dkim.DKIM(message).verify(idx=i, dnsfunc=lambda name, timeout=5: records.get(name)) for i in range(2)]
                print(results)
                sys.exit(0 if results == [True, True] else 1)
                """;
            (code, output) = await ExternalCommand.RunAsync("/usr/bin/python3", "-c", verify, copy);
            Assert.True(code == 0, "dkimpy: " + output + "\n" + delivered);
            Assert.DoesNotContain("DKIM", hub.Log, StringComparison.Ordinal);
        }
        finally
        {
            if (sender is not null)
            {
                await sender.DisposeAsync();
                Directory.Delete(sender.DataDir, recursive: true);
            }
            await hub.DisposeAsync();
            Directory.Delete(hub.DataDir, recursive: true);
            Directory.Delete(keys, recursive: true);
        }
    }

    /// <summary>Runs `postern dkim keygen` and returns the record's text as DNS serves it (the strings joined).</summary>
    private static async Task<string> KeyGenAsync(string directory, string selector, string algorithm)
    {
        var (code, output) = await Binary.RunAsync(
            "dkim", "keygen", "--domain", "example.org", "--selector", selector, "--algorithm", algorithm, "--out", Path.Combine(directory, selector + ".key"));
        Assert.True(code == 0, output);
        var entry = output[..output.IndexOf(')', StringComparison.Ordinal)];
        Assert.StartsWith(selector + "._domainkey.example.org. IN TXT (", entry, StringComparison.Ordinal);
        return string.Concat(Quoted().Matches(entry).Select(m => m.Groups[1].Value));
    }

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^DKIM-Signature: v=1;", RegexOptions.Multiline)]
    private static partial Regex DkimSignature();
}
