using System.Globalization;
using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Postern.EndToEnd.Fixtures.Dnssec;

/// <summary>
/// The Postern processes of the DNSSEC tests: receiving MX hosts (a listener on the MX host's
/// own loopback address, port 25, STARTTLS with a certificate of <see cref="MxCertificates"/>) and
/// the sender, whose delivery asks the world's validating resolver, checks MTA-STS policies at
/// the test's HTTPS server and reports TLS every 10 seconds.
/// </summary>
public static class MxPeers
{
    /// <summary>The sender's host name and its one local domain (bounces come back to alice@ it).</summary>
    public const string SenderDomain = "sender.e2e.test";

    /// <summary>
    /// A receiving Postern named <paramref name="hostName"/> on <paramref name="address"/>:25,
    /// delivering mail for <paramref name="domains"/> to the local users "user" and "tlsrpt".
    /// </summary>
    public static Task<PosternProcess> StartMxAsync(MxCertificates certificates, string certificate, IPAddress address, string hostName, string[] domains, DnssecWorld world) =>
        PosternProcess.StartAsync(PosternConfig.Host(hostName)
            .WithListener("mx", "mta", tls: "starttls", address: address + ":25")
            .WithLocal(domains, ["user", "tlsrpt"])
            .WithServerTls(certificates.CertFile(certificate), certificates.KeyFile(certificate), certificates.CaFile)
            .WithSection(Delivery(world, certificates, ""))
            .ToToml(), listeners: 1);

    /// <summary>
    /// The sender: an "mta" listener with STARTTLS relaying for loopback, its outbound TLS at the
    /// default level (dane), <paramref name="stsServer"/> (IP:port) for every MTA-STS policy
    /// fetch, TLS reports every 10 s; <paramref name="extra"/> is more TOML.
    /// </summary>
    public static Task<PosternProcess> StartSenderAsync(MxCertificates certificates, DnssecWorld world, string? stsServer, string extra = "")
    {
        certificates.Issue("sender", [SenderDomain]);
        var mtaSts = stsServer is null ? "" : $"[mta_sts]\nconnect_to = \"{stsServer}\"\n";
        return PosternProcess.StartAsync(PosternConfig.Host(SenderDomain)
            .WithListener("mta", "mta", tls: "starttls")
            .WithLocal([SenderDomain], ["alice"])
            .WithServerTls(certificates.CertFile("sender"), certificates.KeyFile("sender"), certificates.CaFile)
            .WithSection("[policy]\nrelay_networks = [\"127.0.0.0/8\"]")
            .WithSection(Delivery(world, certificates, "tls = \"dane\"\n"))
            .WithSection(mtaSts + $"[tls_reporting]\ninterval = \"10s\"\nfrom = \"tlsrpt-noreply@{SenderDomain}\"\norganization = \"Postern E2E\"\n")
            .WithSection(extra)
            .ToToml(), listeners: 1);
    }

    private static string Delivery(DnssecWorld world, MxCertificates certificates, string keys) => $"""
        [delivery]
        {keys}dns_servers = ["{world.ResolverAddress}"]
        dnssec_probe_signed = "{DnssecWorld.ProbeSigned}"
        dnssec_probe_broken = "{DnssecWorld.ProbeBroken}"
        verify_ca_file = "{certificates.CaFile}"
        https_ca_file = "{certificates.CaFile}"
        """;

    /// <summary>
    /// Submits a message from alice@sender.e2e.test to <paramref name="recipient"/> over STARTTLS
    /// (MailKit), with the MAIL parameter REQUIRETLS when <paramref name="requireTls"/>; the
    /// subject and body carry <paramref name="token"/>.
    /// </summary>
    public static async Task SubmitAsync(PosternProcess sender, string recipient, string token, bool requireTls = false)
    {
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@" + SenderDomain));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = token;
        message.MessageId = token + "@" + SenderDomain;
        message.Body = new TextPart("plain") { Text = "The body of " + token + ".\n" };
        using var client = new SmtpClient { Timeout = 30_000, RequireTLS = requireTls };
        // The sender's certificate is the test CA's; the submission is not what these tests check.
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await client.ConnectAsync(sender.Mta.Address.ToString(), sender.Mta.Port, SecureSocketOptions.StartTls);
        if (requireTls && !client.Capabilities.HasFlag(SmtpCapabilities.RequireTLS))
        {
            throw new InvalidOperationException("the sender does not advertise REQUIRETLS after STARTTLS; log:\n" + sender.Log);
        }
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
    }

    /// <summary>Waits for the sender's log line for <paramref name="recipient"/> with <paramref name="stat"/> (Sent, Deferred, ...).</summary>
    public static Task<string> WaitForOutcomeAsync(PosternProcess sender, string recipient, string stat, TimeSpan? wait = null) =>
        sender.WaitForLogAsync(l => l.Contains($"to=<{recipient}>", StringComparison.Ordinal) && l.Contains("stat=" + stat, StringComparison.Ordinal), wait);

    /// <summary>`postern queue show ID` on the sender's spool: what it says about the waiting message.</summary>
    public static async Task<string> QueueShowAsync(PosternProcess sender, string queueId)
    {
        var (code, output) = await Binary.RunAsync("queue", "show", queueId, "--config", sender.ConfigPath!, "--data-dir", sender.DataDir);
        Assert.True(code == 0, output);
        return output;
    }

    /// <summary>The queue id at the head of a mail-log line ("ID: to=&lt;...&gt;, ...").</summary>
    public static string QueueId(string logLine)
    {
        var colon = logLine.IndexOf(": to=<", StringComparison.Ordinal);
        var start = logLine.LastIndexOf(' ', colon) + 1;
        return logLine[start..colon];
    }

    public static string Port25(IPAddress address) => address + ":" + 25.ToString(CultureInfo.InvariantCulture);
}
