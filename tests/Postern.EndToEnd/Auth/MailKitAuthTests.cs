using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Postern.EndToEnd.Auth;

/// <summary>
/// MailKit in-process, SCRAM-SHA-256-PLUS over STARTTLS. MailKit asks .NET's SslStream for a
/// channel binding: on Linux that gives <c>tls-server-end-point</c> (the hash of Postern's
/// certificate), the one binding Postern has; the client-first message shows which it used.
/// </summary>
public sealed class MailKitAuthTests(AuthServer fixture) : IClassFixture<AuthServer>
{
    [Fact]
    public async Task Scram_sha_256_plus_binds_to_the_servers_certificate_and_relays()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var log = new MemoryStream();
        var token = AuthServer.Token();
        using (var client = new SmtpClient(new ProtocolLogger(log, leaveOpen: true) { RedactSecrets = false }))
        {
            client.LocalDomain = "laptop.test";
            client.ServerCertificateValidationCallback = TrustsOnlyTheTestCa;
            await client.ConnectAsync("localhost", fixture.Port(), SecureSocketOptions.StartTls, timeout.Token);
            Assert.Contains("SCRAM-SHA-256-PLUS", client.AuthenticationMechanisms);
            var scram = new SaslMechanismScramSha256Plus(new NetworkCredential(AuthServer.User, AuthServer.Password));
            await client.AuthenticateAsync(scram, timeout.Token);
            Assert.True(scram.IsAuthenticated);
            Assert.True(scram.NegotiatedChannelBinding);
            await client.SendAsync(Message(token), timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        var dialog = Encoding.UTF8.GetString(log.ToArray());
        Assert.StartsWith("p=tls-server-end-point,,n=alice,r=", ClientFirstMessage(dialog), StringComparison.Ordinal);
        await fixture.AssertRelayedAsync(token, dialog);
        await fixture.WaitForAuthLineAsync("SCRAM-SHA-256-PLUS");
    }

    /// <summary>The decoded SCRAM client-first message from the protocol log: AUTH's initial response, or the first line after a bare 334.</summary>
    private static string ClientFirstMessage(string dialog)
    {
        var lines = dialog.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var auth = lines.FindIndex(l => l.StartsWith("C: AUTH SCRAM-SHA-256-PLUS", StringComparison.Ordinal));
        Assert.True(auth >= 0, dialog);
        var words = lines[auth].Split(' ');
        var base64 = words.Length == 4 ? words[3] : lines.Skip(auth + 1).First(l => l.StartsWith("C: ", StringComparison.Ordinal))[3..];
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
    }

    private static MimeMessage Message(string token)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(AuthServer.User + "@example.org"));
        message.To.Add(MailboxAddress.Parse(AuthServer.Recipient));
        message.Subject = token;
        message.Headers.Add("X-Token", token);
        message.Body = new TextPart("plain") { Text = "relayed after SCRAM-SHA-256-PLUS" };
        return message;
    }

    private bool TrustsOnlyTheTestCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(fixture.Pki["ca.pem"]));
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return custom.Build(server);
    }
}
