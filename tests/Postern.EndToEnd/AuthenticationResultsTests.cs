using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Postern.EndToEnd;

/// <summary>
/// <c>[authentication_results] mode = "enforce"</c> in the real daemon, its DNS a private unbound
/// on a loopback port (<c>delivery.dns_servers</c>) serving SPF, DKIM and DMARC records: a forged
/// sender of a p=reject domain is refused with 550 5.7.1, a DKIM-signed message of such a domain
/// is delivered with its results in the header, a p=quarantine failure is held.
/// </summary>
public sealed class AuthenticationResultsTests
{
    [Fact]
    public async Task Enforce_refuses_holds_and_delivers_by_the_published_records()
    {
        var keys = NewKeys();
        var publicKey = Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(keys.Public).GetEncoded());
        await using var dns = await UnboundServer.StartAsync(
            "forged.example. TXT \"v=spf1 ip4:192.0.2.1 -all\"",
            "_dmarc.forged.example. TXT \"v=DMARC1; p=reject\"",
            "signed.example. TXT \"v=spf1 ip4:192.0.2.1 -all\"",
            "_dmarc.signed.example. TXT \"v=DMARC1; p=reject; adkim=s\"",
            $"e2e._domainkey.signed.example. TXT \"v=DKIM1; k=rsa; p={publicKey}\"",
            "held.example. TXT \"v=spf1 -all\"",
            "_dmarc.held.example. TXT \"v=DMARC1; p=quarantine\"");
        await using var server = await PosternProcess.StartAsync(PosternProcess.Config(
            $"[delivery]\ndns_servers = [\"{dns.Address}\"]\n[authentication_results]\nmode = \"enforce\"\n"));

        var forged = await SendAsync(server, "alice@forged.example", Message("alice@forged.example", "forged-" + Guid.NewGuid().ToString("N")));
        Assert.True(forged.StartsWith("550 5.7.1 Message rejected: DMARC policy of forged.example (p=reject)", StringComparison.Ordinal), forged + "\n" + server.Log);

        var token = "signed-" + Guid.NewGuid().ToString("N");
        var signed = await SendAsync(server, "bob@signed.example", Signed(keys, Message("bob@signed.example", token)));
        Assert.True(signed.StartsWith("250 2.0.0", StringComparison.Ordinal), signed + "\n" + server.Log);
        var delivered = (await server.WaitForMailAsync("user", token)).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(
            "Authentication-Results: localhost;\n\tspf=fail smtp.mailfrom=bob@signed.example;\n\tdkim=pass header.d=signed.example header.s=e2e header.a=rsa-sha256;\n\tdmarc=pass (p=reject dis=none) header.from=signed.example\n",
            delivered, StringComparison.Ordinal);

        var held = await SendAsync(server, "carol@held.example", Message("carol@held.example", "held-" + Guid.NewGuid().ToString("N")));
        Assert.True(held.StartsWith("250 2.0.0", StringComparison.Ordinal), held);
        await server.WaitForLogAsync(l => l.Contains("quarantine=DMARC policy of held.example (p=quarantine)", StringComparison.Ordinal));
        await server.WaitForLogAsync(l => l.Contains("from=forged.example spf=fail dkim=none dmarc=fail action=reject", StringComparison.Ordinal));
    }

    private static async Task<string> SendAsync(PosternProcess server, string sender, byte[] message)
    {
        await using var client = await RawSmtpClient.ConnectAsync(server.Mta);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.e2e.test"));
        Assert.StartsWith("250", await client.CommandAsync($"MAIL FROM:<{sender}>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<user@localhost>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(Encoding.ASCII.GetString(message) + ".\r\n");
        var reply = await client.ReadReplyAsync() ?? "(closed)";
        await client.CommandAsync("QUIT");
        return reply;
    }

    private static byte[] Message(string from, string token) => Encoding.ASCII.GetBytes(
        $"From: <{from}>\r\nTo: <user@localhost>\r\nSubject: {token}\r\nMessage-ID: <{token}@e2e.test>\r\n\r\nThe body of {token}.\r\n");

    private static byte[] Signed(AsymmetricCipherKeyPair keys, byte[] bytes)
    {
        using var message = MimeMessage.Load(new MemoryStream(bytes));
        var signer = new DkimSigner(keys.Private, "signed.example", "e2e", DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        signer.Sign(options, message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.MessageId]);
        using var output = new MemoryStream();
        message.WriteTo(options, output);
        return output.ToArray();
    }

    private static AsymmetricCipherKeyPair NewKeys()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 1024));
        return generator.GenerateKeyPair();
    }
}
