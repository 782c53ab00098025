using System.Net;

namespace Postern.EndToEnd.Dnssec;

/// <summary>
/// DANE with real DNSSEC (RFC 7672): the sender (the real binary, <c>delivery.tls = "dane"</c>,
/// its resolver the private validating unbound) delivers by MX to a second Postern and to a private
/// Postfix, each on its own loopback address at port 25, whose certificates match the published
/// TLSA records (DANE-EE 3 1 1 and DANE-TA 2 0 1); a TLSA record that matches nothing defers (and
/// the next MX is tried), a TLSA answer with a broken signature defers; a REQUIRETLS message to a
/// next hop without REQUIRETLS bounces with 5.7.30; and Postfix with
/// <c>smtp_tls_security_level = dane</c> delivers to Postern whose TLSA is published.
/// </summary>
public sealed class DaneDeliveryTests(DaneDeliveryTests.Peers peers) : IClassFixture<DaneDeliveryTests.Peers>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>One world for the class: zone, nsd, unbound, the two MX hosts and the sender.</summary>
    public sealed class Peers : IAsyncLifetime
    {
        public MxCertificates Certificates { get; } = new();

        public DnssecWorld Dns { get; private set; } = null!;

        /// <summary>The receiving Postern: mx.ee, mx.ta-postern, mx.mismatch and mx.badsig all point at it.</summary>
        public PosternProcess PosternMx { get; private set; } = null!;

        public IPAddress PosternAddress { get; private set; } = null!;

        /// <summary>The receiving Postfix (mx.ta, mx.ee-postfix), also the DANE client of the other direction.</summary>
        public PostfixInstance PostfixMx { get; private set; } = null!;

        public IPAddress PostfixAddress { get; private set; } = null!;

        public PosternProcess Sender { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var mx = LoopbackPorts.FreeAddresses(2, 25);
            (PosternAddress, PostfixAddress) = (mx[0], mx[1]);
            // Postfix's resolver is libc's: resolv.conf names a server, always on port 53.
            var resolverAddress = LoopbackPorts.FreeAddresses(1, 53)[0];
            Certificates.Issue("postern-mx", ["mx.ee.e2e.test", "mx.ta-postern.e2e.test", "mx.mismatch.e2e.test", "mx.badsig.e2e.test"]);
            Certificates.Issue("postfix-mx", ["mx.ta.e2e.test", "mx.ee-postfix.e2e.test"]);
            List<string> records =
            [
                .. Mx("ee", PosternAddress, Certificates.DaneEe("postern-mx")),
                .. Mx("ta-postern", PosternAddress, Certificates.DaneTa()),
                .. Mx("mismatch", PosternAddress, MxCertificates.MismatchingDaneEe()),
                .. Mx("badsig", PosternAddress, Certificates.DaneEe("postern-mx")),
                .. Mx("ta", PostfixAddress, Certificates.DaneTa()),
                .. Mx("ee-postfix", PostfixAddress, Certificates.DaneEe("postfix-mx")),
                // Two MX hosts, the preferred one's TLSA matching nothing.
                "fallback.e2e.test. MX 10 mx.mismatch.e2e.test.",
                "fallback.e2e.test. MX 20 mx.ee.e2e.test.",
            ];
            Dns = await DnssecWorld.StartAsync(records,
                breakSignature: (owner, type) => owner == "_25._tcp.mx.badsig.e2e.test." && type == "TLSA",
                resolverAlsoOn: resolverAddress + "@53");
            var resolvConf = Path.Combine(Certificates.Directory, "resolv.conf");
            // trust-ad: glibc passes the AD bit on to Postfix only when told the server is trusted.
            await File.WriteAllTextAsync(resolvConf, $"nameserver {resolverAddress}\noptions trust-ad\n");
            PosternMx = await MxPeers.StartMxAsync(Certificates, "postern-mx", PosternAddress, "mx.ee.e2e.test",
                ["ee.e2e.test", "ta-postern.e2e.test", "mismatch.e2e.test", "badsig.e2e.test", "fallback.e2e.test", "nodnssec.e2e.test"], Dns);
            PostfixMx = await PostfixInstance.StartMxAsync(PostfixAddress, Certificates.CaFile, $"""
                smtpd_tls_cert_file = {Certificates.CertFile("postfix-mx")}
                smtpd_tls_key_file = {Certificates.KeyFile("postfix-mx")}
                virtual_mailbox_domains = ta.e2e.test ee-postfix.e2e.test
                smtp_tls_security_level = dane
                smtp_dns_support_level = dnssec
                smtp_tls_loglevel = 1

                """, resolvConf);
            Sender = await MxPeers.StartSenderAsync(Certificates, Dns, stsServer: null);
        }

        private static IEnumerable<string> Mx(string label, IPAddress address, string tlsa) =>
        [
            $"{label}.e2e.test. MX 10 mx.{label}.e2e.test.",
            $"mx.{label}.e2e.test. A {address}",
            $"_25._tcp.mx.{label}.e2e.test. TLSA {tlsa}",
        ];

        public async Task DisposeAsync()
        {
            foreach (var postern in new[] { Sender, PosternMx })
            {
                if (postern is not null)
                {
                    await postern.DisposeAsync();
                    Directory.Delete(postern.DataDir, recursive: true);
                }
            }
            if (PostfixMx is not null)
            {
                await PostfixMx.DisposeAsync();
            }
            if (Dns is not null)
            {
                await Dns.DisposeAsync();
            }
            Certificates.Dispose();
        }
    }

    [Theory]
    [InlineData("ee", "postern", "DANE-EE 3 1 1 of the receiving Postern's key")]
    [InlineData("ta-postern", "postern", "DANE-TA 2 0 1 of the CA that issued the receiving Postern's certificate for its MX name")]
    [InlineData("ta", "postfix", "DANE-TA 2 0 1 of the CA that issued Postfix's certificate for its MX name")]
    [InlineData("ee-postfix", "postfix", "DANE-EE 3 1 1 of Postfix's key")]
    public async Task Delivers_over_dane_when_the_certificate_matches_the_published_tlsa(string label, string receiver, string why)
    {
        var token = $"dane-{label}-" + Guid.NewGuid().ToString("N");
        var recipient = $"user@{label}.e2e.test";
        await MxPeers.SubmitAsync(peers.Sender, recipient, token);

        var address = receiver == "postern" ? peers.PosternAddress : peers.PostfixAddress;
        var sent = await MxPeers.WaitForOutcomeAsync(peers.Sender, recipient, "Sent", Wait);
        Assert.Contains($"relay=mx.{label}.e2e.test", sent, StringComparison.Ordinal);
        var session = await peers.Sender.WaitForLogAsync(l => l.Contains("STARTTLS=client", StringComparison.Ordinal)
            && l.Contains($"relay=mx.{label}.e2e.test [{address}]", StringComparison.Ordinal), Wait);
        Assert.True(session.Contains("dane=yes", StringComparison.Ordinal) && session.Contains("verify=OK", StringComparison.Ordinal), why + "\n" + session);
        if (receiver == "postern")
        {
            await peers.PosternMx.WaitForMailAsync("user", token, Wait);
        }
        else
        {
            await peers.PostfixMx.WaitForMailAsync(token, Wait);
        }
    }

    [Fact]
    public async Task A_tlsa_record_that_matches_no_certificate_defers_and_queue_show_says_why()
    {
        var token = "mismatch-" + Guid.NewGuid().ToString("N");
        const string Recipient = "user@mismatch.e2e.test";
        await MxPeers.SubmitAsync(peers.Sender, Recipient, token);

        var deferred = await MxPeers.WaitForOutcomeAsync(peers.Sender, Recipient, "Deferred", Wait);
        var show = await WaitForQueueShowAsync(MxPeers.QueueId(deferred), "mx.mismatch.e2e.test");
        Assert.Contains("<user@mismatch.e2e.test>  deferred", show, StringComparison.Ordinal);
        Assert.True(show.Contains("TLSA", StringComparison.Ordinal) || show.Contains("DANE", StringComparison.Ordinal), show);
        AssertNotDelivered(token);
    }

    [Fact]
    public async Task A_tlsa_answer_with_a_broken_signature_defers()
    {
        var token = "badsig-" + Guid.NewGuid().ToString("N");
        const string Recipient = "user@badsig.e2e.test";
        await MxPeers.SubmitAsync(peers.Sender, Recipient, token);

        var deferred = await MxPeers.WaitForOutcomeAsync(peers.Sender, Recipient, "Deferred", Wait);
        // unbound found the TLSA RRset bogus and answered SERVFAIL: the lookup failed, which is no reason to send in the clear.
        var show = await WaitForQueueShowAsync(MxPeers.QueueId(deferred), "_25._tcp.mx.badsig.e2e.test");
        Assert.Contains("<user@badsig.e2e.test>  deferred", show, StringComparison.Ordinal);
        Assert.Contains("validation failure <_25._tcp.mx.badsig.e2e.test. TLSA IN>", peers.Dns.Resolver.Log, StringComparison.Ordinal);
        AssertNotDelivered(token);
    }

    [Fact]
    public async Task The_next_mx_is_tried_when_the_first_ones_certificate_matches_no_tlsa()
    {
        var token = "fallback-" + Guid.NewGuid().ToString("N");
        const string Recipient = "user@fallback.e2e.test";
        await MxPeers.SubmitAsync(peers.Sender, Recipient, token);

        var sent = await MxPeers.WaitForOutcomeAsync(peers.Sender, Recipient, "Sent", Wait);
        Assert.Contains("relay=mx.ee.e2e.test", sent, StringComparison.Ordinal);
        await peers.PosternMx.WaitForMailAsync("user", token, Wait);
        var refused = await peers.Sender.WaitForLogAsync(l => l.Contains("STARTTLS=client", StringComparison.Ordinal)
            && l.Contains($"relay=mx.mismatch.e2e.test [{peers.PosternAddress}]", StringComparison.Ordinal), Wait);
        Assert.Contains("dane=", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("verify=OK", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requiretls_message_bounces_with_5_7_30_at_a_next_hop_without_requiretls_and_goes_where_it_is_offered()
    {
        // Postfix (mx.ta) is DANE-authenticated but does not offer REQUIRETLS.
        var bounced = "requiretls-postfix-" + Guid.NewGuid().ToString("N");
        await MxPeers.SubmitAsync(peers.Sender, "user@ta.e2e.test", bounced, requireTls: true);
        var failed = await peers.Sender.WaitForLogAsync(l => l.Contains("to=<user@ta.e2e.test>", StringComparison.Ordinal)
            && l.Contains("5.7.30", StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("stat=Sent", failed, StringComparison.Ordinal);
        var dsn = await peers.Sender.WaitForMailAsync("alice", bounced, Wait);
        Assert.Contains("5.7.30", dsn, StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => peers.PostfixMx.WaitForMailAsync(bounced, TimeSpan.FromSeconds(1)).GetAwaiter().GetResult());

        // The receiving Postern offers REQUIRETLS after STARTTLS and is DANE-authenticated: the message goes.
        var delivered = "requiretls-postern-" + Guid.NewGuid().ToString("N");
        await MxPeers.SubmitAsync(peers.Sender, "user@ee.e2e.test", delivered, requireTls: true);
        await peers.PosternMx.WaitForMailAsync("user", delivered, Wait);
    }

    [Fact]
    public async Task Postfix_with_dane_delivers_to_postern_whose_tlsa_is_published_and_refuses_a_mismatch()
    {
        var token = "postfix-dane-" + Guid.NewGuid().ToString("N");
        await peers.PostfixMx.SubmitAsync("someone@postfix.test", Message("user@ee.e2e.test", token));
        await peers.PosternMx.WaitForMailAsync("user", token, Wait);
        Assert.Contains("Verified TLS connection established to mx.ee.e2e.test", peers.PostfixMx.Log, StringComparison.Ordinal);

        // The same Postfix, the TLSA record matching nothing: it defers, so the check above was DANE's.
        var refused = "postfix-mismatch-" + Guid.NewGuid().ToString("N");
        await peers.PostfixMx.SubmitAsync("someone@postfix.test", Message("user@mismatch.e2e.test", refused));
        var deadline = DateTime.UtcNow + Wait;
        while (!peers.PostfixMx.Log.Contains("to=<user@mismatch.e2e.test>", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        var line = peers.PostfixMx.Log.Split('\n').LastOrDefault(l => l.Contains("to=<user@mismatch.e2e.test>", StringComparison.Ordinal)) ?? peers.PostfixMx.Log;
        Assert.True(line.Contains("status=deferred", StringComparison.Ordinal) && line.Contains("certificate", StringComparison.OrdinalIgnoreCase), line);
        AssertNotDelivered(refused);
    }

    [Fact]
    public async Task Without_a_validating_resolver_postern_warns_and_keeps_delivering()
    {
        // unbound from local data, no validator: it answers the broken probe name and never sets AD.
        // The TLSA record matches nothing: trusted, it would defer; unvalidated, it must not count.
        await using var plain = await UnboundServer.StartAsync(
            "nodnssec.e2e.test. MX 10 mx.nodnssec.e2e.test.",
            $"mx.nodnssec.e2e.test. A {peers.PosternAddress}",
            $"_25._tcp.mx.nodnssec.e2e.test. TLSA {MxCertificates.MismatchingDaneEe()}");
        var config = PosternConfig.Host("plain.e2e.test")
            .WithListener("mta", "mta")
            .WithLocal(["plain.e2e.test"], ["alice"])
            .WithSection("[policy]\nrelay_networks = [\"127.0.0.0/8\"]")
            .WithSection($"[delivery]\ntls = \"dane\"\ndns_servers = [\"{plain.Address}\"]\n"
                + $"dnssec_probe_signed = \"{DnssecWorld.ProbeSigned}\"\ndnssec_probe_broken = \"{DnssecWorld.ProbeBroken}\"\n")
            .ToToml();
        await using var sender = await PosternProcess.StartAsync(config, listeners: 1);
        try
        {
            await sender.WaitForLogAsync(l => l.Contains("DNSSEC: resolver 127.0.0.1:", StringComparison.Ordinal)
                && l.Contains("it does not validate DNSSEC", StringComparison.Ordinal) && l.Contains("DANE stays off", StringComparison.Ordinal), Wait);
            var (code, check) = await Binary.RunAsync("config", "check", "--config", sender.ConfigPath!, "--data-dir", sender.DataDir);
            Assert.True(code == 0 && check.Contains("does not validate DNSSEC", StringComparison.Ordinal), check);

            var token = "nodnssec-" + Guid.NewGuid().ToString("N");
            using (var client = new MailKit.Net.Smtp.SmtpClient { Timeout = 30_000 })
            {
                await client.ConnectAsync(sender.Mta.Address.ToString(), sender.Mta.Port, MailKit.Security.SecureSocketOptions.None);
                await client.SendAsync(MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(
                    Message("user@nodnssec.e2e.test", token).Replace("someone@postfix.test", "alice@plain.e2e.test", StringComparison.Ordinal)))));
                await client.DisconnectAsync(quit: true);
            }
            await MxPeers.WaitForOutcomeAsync(sender, "user@nodnssec.e2e.test", "Sent", Wait);
            await peers.PosternMx.WaitForMailAsync("user", token, Wait);
            var session = await sender.WaitForLogAsync(l => l.Contains("STARTTLS=client", StringComparison.Ordinal)
                && l.Contains("relay=mx.nodnssec.e2e.test", StringComparison.Ordinal), Wait);
            Assert.Contains("dane=no", session, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(sender.DataDir, recursive: true);
        }
    }

    private static string Message(string recipient, string token) =>
        $"From: <someone@postfix.test>\nTo: <{recipient}>\nSubject: {token}\nMessage-ID: <{token}@postfix.test>\n\nThe body of {token}.\n";

    // The deferral is journaled right after it is logged: poll, bounded, until queue show has the reason.
    private async Task<string> WaitForQueueShowAsync(string queueId, string reason)
    {
        var show = "";
        for (var attempt = 0; attempt < 50 && !show.Contains(reason, StringComparison.Ordinal); attempt++)
        {
            show = await MxPeers.QueueShowAsync(peers.Sender, queueId);
            await Task.Delay(100);
        }
        Assert.True(show.Contains(reason, StringComparison.Ordinal), show + "\nsender log:\n" + peers.Sender.Log);
        return show;
    }

    private void AssertNotDelivered(string token)
    {
        var maildir = peers.PosternMx.MaildirNew("user");
        var files = Directory.Exists(maildir) ? Directory.GetFiles(maildir) : [];
        Assert.DoesNotContain(files, f => File.ReadAllText(f).Contains(token, StringComparison.Ordinal));
    }
}
