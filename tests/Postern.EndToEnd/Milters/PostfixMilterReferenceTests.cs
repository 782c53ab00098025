namespace Postern.EndToEnd.Milters;

/// <summary>
/// The milter peers under Postfix (smtpd_milters, the same protocol): what each does there is what
/// Postern's milter tests expect of them, and when one of those fails this class tells whether the
/// peer or Postern is at fault. One private Postfix and one of each milter for the class.
/// </summary>
public sealed class PostfixMilterReferenceTests(PostfixMilterReferenceTests.PostfixWithMilters peers)
    : IClassFixture<PostfixMilterReferenceTests.PostfixWithMilters>
{
    [Fact]
    public async Task OpenDkim_signs_and_OpenDmarc_writes_its_results_under_postfix()
    {
        var token = Token();
        var output = await peers.SendAsync("joe@example.test", ["user@postfix.test"], $"""
            From: Joe <joe@example.test>
            To: user@postfix.test
            Subject: signed {token}
            Message-ID: <{token}@example.test>
            X-Token: {token}

            signed by OpenDKIM under Postfix
            """);
        Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);

        var delivered = await peers.Postfix.WaitForMailAsync(token, TimeSpan.FromSeconds(60));
        Assert.Contains("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=e2e;", delivered, StringComparison.Ordinal);
        Assert.Matches(@"Authentication-Results: opendmarc\.test; dmarc=\w+ .*header\.from=example\.test", delivered.Replace("\n\t", " ", StringComparison.Ordinal));
        var (verified, check) = await DkimCheck.VerifyAsync(MessageAfterPostfix(delivered), peers.KeyRecords);
        Assert.True(verified, check + "\n" + delivered);
        // The verifier is no rubber stamp: one changed body byte and the signature fails.
        var tampered = delivered.Replace("signed by OpenDKIM under Postfix", "signed by OpenDKIM under PostfiX", StringComparison.Ordinal);
        Assert.False((await DkimCheck.VerifyAsync(MessageAfterPostfix(tampered), peers.KeyRecords)).Verified);
    }

    [Fact]
    public async Task The_actions_milter_edits_headers_body_and_envelope_under_postfix()
    {
        var token = Token();
        var output = await peers.SendAsync("joe@laptop.test", ["user@postfix.test", "gone@postfix.test"], $"""
            From: joe@laptop.test
            To: user@postfix.test
            Subject: actions {token}
            X-Token: {token}
            X-Change-Me: old value
            X-Delete-Me: doomed
            X-Test-Action: add-header X-Added added by the milter
            X-Test-Action: insert-header 0 X-Inserted on top
            X-Test-Action: change-header X-Change-Me 1 new value
            X-Test-Action: delete-header X-Delete-Me 1
            X-Test-Action: replace-body a body from the milter\nsecond line\n
            X-Test-Action: add-rcpt <added@postfix.test>
            X-Test-Action: del-rcpt <gone@postfix.test>
            X-Test-Action: chg-from <changed@laptop.test>

            the original body
            """);
        Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);

        var delivered = await peers.Postfix.WaitForMailAsync("Delivered-To: added@postfix.test", TimeSpan.FromSeconds(60));
        Assert.Contains(token, delivered, StringComparison.Ordinal);
        Assert.StartsWith("Return-Path: <changed@laptop.test>", delivered, StringComparison.Ordinal);
        Assert.Contains("X-Added: added by the milter", delivered, StringComparison.Ordinal);
        Assert.Contains("X-Inserted: on top", delivered, StringComparison.Ordinal);
        Assert.Contains("X-Change-Me: new value", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("\nX-Delete-Me:", delivered, StringComparison.Ordinal);
        Assert.EndsWith("\n\na body from the milter\nsecond line\n", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("the original body", delivered, StringComparison.Ordinal);
        var connect = await peers.Actions.WaitForAsync("connect", _ => true);
        Assert.Equal("127.0.0.1", connect.Argument("address"));
        Assert.True(connect.Macros.ContainsKey("j"), connect.Line);
    }

    [Fact]
    public async Task Refusals_of_the_actions_milter_and_spamassassin_reach_the_client_under_postfix()
    {
        var token = Token();
        var output = await peers.SendAsync("joe@laptop.test", ["user@postfix.test", "reply-rcpt@postfix.test"], $"""
            From: joe@laptop.test
            To: user@postfix.test
            Subject: spam {token}
            X-Token: {token}

            {SpamAssassin.Gtube}
            """);
        // The one recipient refused at RCPT with the milter's two-line reply; then the GTUBE message at end of data.
        Assert.Contains("RCPT reply-rcpt@postfix.test 550 5.7.1 this recipient is refused | 5.7.1 by the test milter, second line", output, StringComparison.Ordinal);
        Assert.Matches(@"DATA 5\d\d 5\.7\.1 ", output);
    }

    private static string Token() => "milter-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The message as it left the milters: Postfix's delivery adds Return-Path, Delivered-To and Received on top, which no signature covers.</summary>
    private static byte[] MessageAfterPostfix(string delivered) =>
        System.Text.Encoding.UTF8.GetBytes(delivered.ReplaceLineEndings("\r\n"));

    /// <summary>Postfix with OpenDKIM (signing for example.test), OpenDMARC, the actions milter and spamass-milter, in that order.</summary>
    public sealed class PostfixWithMilters : IAsyncLifetime
    {
        public TestPki Pki { get; } = new();

        public PostfixInstance Postfix { get; private set; } = null!;

        public OpenDkim OpenDkim { get; private set; } = null!;

        public OpenDmarc OpenDmarc { get; private set; } = null!;

        public ActionsMilter Actions { get; private set; } = null!;

        public SpamAssassin SpamAssassin { get; private set; } = null!;

        public IReadOnlyDictionary<string, string> KeyRecords => new Dictionary<string, string> { [OpenDkim.KeyRecordName] = OpenDkim.KeyRecord };

        public async Task InitializeAsync()
        {
            var peers = new MilterPeers();
            var dkim = peers.Add(OpenDkim.StartAsync());
            var dmarc = peers.Add(OpenDmarc.StartAsync());
            var actions = peers.Add(ActionsMilter.StartAsync());
            var spam = peers.Add(SpamAssassin.StartAsync());
            await peers.ReadyAsync();
            (OpenDkim, OpenDmarc, Actions, SpamAssassin) = (await dkim, await dmarc, await actions, await spam);
            var milters = string.Join(", ", new[] { OpenDkim.Daemon, OpenDmarc.Daemon, Actions.Daemon, SpamAssassin.Daemon }.Select(d => d.PostfixSocket));
            Postfix = await PostfixInstance.StartAsync(Pki, $"""
                smtpd_milters = {milters}
                milter_default_action = tempfail

                """);
        }

        /// <summary>One session with Joe User's certificate (this Postfix demands one), each reply printed (<see cref="SmtpTransaction"/>).</summary>
        public Task<string> SendAsync(string sender, string[] recipients, string message) =>
            new SmtpTransaction(sender, recipients, message)
            {
                CaFile = Pki["ca.pem"],
                ClientCertificate = (Pki["client.pem"], Pki["client.key"]),
            }.RunAsync(Postfix.Port);

        public async Task DisposeAsync()
        {
            if (Postfix is not null)
            {
                await Postfix.DisposeAsync();
            }
            foreach (var peer in new IAsyncDisposable?[] { OpenDkim, OpenDmarc, Actions, SpamAssassin })
            {
                if (peer is not null)
                {
                    await peer.DisposeAsync();
                }
            }
            Pki.Dispose();
        }
    }
}
