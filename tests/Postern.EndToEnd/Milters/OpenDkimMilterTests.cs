using System.Text;
using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Milters;

/// <summary>
/// OpenDKIM and OpenDMARC (Debian's, started privately) behind Postern, as on a site's MX and
/// submission host: OpenDKIM signs what an authenticated user relays (its InternalHosts holds no
/// loopback address, so only {auth_type} makes it sign) and the copy at the next hop verifies with
/// python3-dkim; mail from outside is verified by OpenDKIM and judged by OpenDMARC, each writing
/// its Authentication-Results; a milter that is down gets its default_action until it is back.
/// </summary>
public sealed class OpenDkimMilterTests(OpenDkimMilterTests.Server server) : IClassFixture<OpenDkimMilterTests.Server>
{
    [Fact]
    public async Task OpenDkim_signs_what_an_authenticated_user_relays_and_the_copy_at_the_next_hop_verifies()
    {
        var token = Token();
        var output = await server.SubmitAsync(token);
        Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);

        var relayed = await server.WaitForSinkAsync(token);
        var text = Encoding.UTF8.GetString(relayed.Data);
        Assert.Contains("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=e2e;", text, StringComparison.Ordinal);
        var (verified, check) = await DkimCheck.VerifyAsync(relayed.Data, server.KeyRecords);
        Assert.True(verified, check + "\n" + text);
        // The submission listener's own list holds OpenDKIM only: OpenDMARC never saw this message.
        Assert.DoesNotContain("opendmarc.test", text, StringComparison.Ordinal);

        // The verifier is no rubber stamp: one changed body byte and the signature fails.
        var tampered = Encoding.UTF8.GetBytes(text.Replace("relayed after AUTH", "relayed after AUTh", StringComparison.Ordinal));
        Assert.False((await DkimCheck.VerifyAsync(tampered, server.KeyRecords)).Verified);
    }

    [Fact]
    public async Task Mail_from_outside_is_verified_by_OpenDkim_and_judged_by_OpenDmarc()
    {
        // Unsigned, unauthenticated, from an example.test address: OpenDKIM must not sign it.
        var unsigned = Token();
        var output = await new SmtpTransaction("joe@example.test", ["user@example.test"],
            $"From: Joe <joe@example.test>\nTo: user@example.test\nSubject: {unsigned}\nX-Token: {unsigned}\n\nfrom outside\n").RunAsync(server.Postern.Mta.Port);
        Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);
        var delivered = Unfold(await server.Postern.WaitForMailAsync("user", unsigned));
        Assert.DoesNotContain("DKIM-Signature:", delivered, StringComparison.Ordinal);
        Assert.Matches(@"Authentication-Results: opendkim\.test; dkim=none", delivered);
        Assert.Matches(@"Authentication-Results: opendmarc\.test; dmarc=(none|temperror) .*header\.from=example\.test", delivered);

        // A message OpenDKIM signed for an authenticated user, relayed back in from outside: OpenDKIM verifies it.
        var signedToken = Token();
        Assert.Contains("DATA 250 ", await server.SubmitAsync(signedToken), StringComparison.Ordinal);
        var signedCopy = Encoding.UTF8.GetString((await server.WaitForSinkAsync(signedToken)).Data);
        output = await new SmtpTransaction("alice@example.test", ["user@example.test"], signedCopy).RunAsync(server.Postern.Mta.Port);
        Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);
        var verified = Unfold(await server.Postern.WaitForMailAsync("user", signedToken));
        Assert.Matches(@"Authentication-Results: opendkim\.test; dkim=pass .*header\.d=example\.test", verified);
        Assert.Matches(@"Authentication-Results: opendmarc\.test; dmarc=(none|temperror) .*header\.from=example\.test", verified);
    }

    [Fact]
    public async Task A_milter_that_is_down_gets_its_default_action_and_is_used_again_once_it_is_up()
    {
        // default_action left out: tempfail, as sendmail's F=T and Postfix's milter_default_action.
        var refused = Token();
        var output = await server.SendToAsync("fragile", refused);
        Assert.Matches(@"(MAIL|RCPT [^ ]+|DATA) 451 4\.\d\.\d ", output);
        Assert.DoesNotContain("DATA 250", output, StringComparison.Ordinal);
        await server.Postern.WaitForLogAsync(l => l.Contains("milter=gone", StringComparison.Ordinal));

        // default_action = "accept": the mail goes on without the milter.
        var accepted = Token();
        Assert.Contains("DATA 250 ", await server.SendToAsync("lenient", accepted), StringComparison.Ordinal);
        await server.Postern.WaitForMailAsync("user", accepted);

        // The milter comes up where it was expected: the next session uses it.
        await using var back = await ActionsMilter.StartAsync(server.GonePort);
        var again = Token();
        Assert.Contains("DATA 250 ", await server.SendToAsync("fragile", again), StringComparison.Ordinal);
        await server.Postern.WaitForMailAsync("user", again);
        await back.WaitForAsync("eom", r => r.Argument("token") == again);
    }

    private static string Token() => "dkim-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Header continuation lines joined, so a folded Authentication-Results reads as one line.</summary>
    private static string Unfold(string message) => Regex.Replace(message.ReplaceLineEndings("\n"), "\n[ \t]+", " ");

    /// <summary>
    /// Postern for mx.example.test: [server] milters = OpenDKIM then OpenDMARC ("mta" uses them);
    /// "submission" (STARTTLS, AUTH required) has its own list, OpenDKIM only, and relays to a sink;
    /// "fragile" and "lenient" use a milter on a port nothing listens on, with the default and with
    /// <c>default_action = "accept"</c>.
    /// </summary>
    public sealed class Server : IAsyncLifetime
    {
        public const string Relayed = "friend@sink.test";

        public TestPki Pki { get; } = new();

        public SmtpSink Sink { get; } = new(SinkOptions.PlainNextHop);

        public OpenDkim OpenDkim { get; private set; } = null!;

        public OpenDmarc OpenDmarc { get; private set; } = null!;

        public PosternProcess Postern { get; private set; } = null!;

        /// <summary>Where the "gone" milter should be: nothing listens there until a test starts one.</summary>
        public int GonePort { get; } = ForegroundDaemon.FreePort();

        public IReadOnlyDictionary<string, string> KeyRecords => new Dictionary<string, string> { [OpenDkim.KeyRecordName] = OpenDkim.KeyRecord };

        public async Task InitializeAsync()
        {
            var peers = new MilterPeers();
            var dkim = peers.Add(OpenDkim.StartAsync(internalHosts: "192.0.2.1"));
            var dmarc = peers.Add(OpenDmarc.StartAsync());
            await peers.ReadyAsync();
            (OpenDkim, OpenDmarc) = (await dkim, await dmarc);
            var gone = MilteredPostern.ClosedSocket(GonePort);
            var config = PosternConfig.Host("mx.example.test")
                .WithServerKeys("milters = [\"opendkim\", \"opendmarc\"]")
                .WithListener("mta", "mta")
                .WithListener("submission", "msa", tls: "starttls", auth: "require", extra: "milters = [\"opendkim\"]")
                .WithListener("fragile", "mta", extra: "milters = [\"gone\"]")
                .WithListener("lenient", "mta", extra: "milters = [\"gone-lenient\"]")
                .WithLocal(["example.test"], ["user"])
                .WithServerTls(Pki)
                .WithRoute("sink.test", Sink.Port)
                .WithSection(MilteredPostern.MilterEntry("opendkim", OpenDkim.Daemon))
                .WithSection(MilteredPostern.MilterEntry("opendmarc", OpenDmarc.Daemon))
                .WithSection(MilteredPostern.MilterEntry("gone", gone, "connect_timeout = \"5s\""))
                .WithSection(MilteredPostern.MilterEntry("gone-lenient", gone, "default_action = \"accept\"\nconnect_timeout = \"5s\""))
                .ToToml();
            Postern = await MilteredPostern.StartAsync(config, listeners: 4);
        }

        /// <summary>Alice, authenticated on "submission", relays a message from her example.test address to the sink.</summary>
        public Task<string> SubmitAsync(string token) =>
            new SmtpTransaction($"{MilteredPostern.User}@example.test", [Relayed],
                $"From: Alice <{MilteredPostern.User}@example.test>\nTo: {Relayed}\nSubject: signed {token}\nMessage-ID: <{token}@example.test>\nX-Token: {token}\n\nrelayed after AUTH\n")
            {
                CaFile = Pki["ca.pem"],
                Login = (MilteredPostern.User, MilteredPostern.Password),
            }.RunAsync(Postern.EndPoint("submission").Port);

        /// <summary>A plain message to user@example.test through <paramref name="listener"/>.</summary>
        public Task<string> SendToAsync(string listener, string token) =>
            new SmtpTransaction("joe@laptop.test", ["user@example.test"], $"From: joe@laptop.test\nSubject: {token}\nX-Token: {token}\n\nbody\n")
                .RunAsync(Postern.EndPoint(listener).Port);

        public async Task<SinkMessage> WaitForSinkAsync(string token)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                var message = Sink.Messages.FirstOrDefault(m => m.Token == token);
                if (message is not null)
                {
                    return message;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the sink got no {token}; postern log:\n{Postern.Log}");
                }
                await Task.Delay(50);
            }
        }

        public async Task DisposeAsync()
        {
            await MilteredPostern.StopAsync(Postern);
            foreach (var peer in new IAsyncDisposable?[] { OpenDkim, OpenDmarc })
            {
                if (peer is not null)
                {
                    await peer.DisposeAsync();
                }
            }
            await Sink.DisposeAsync();
            Pki.Dispose();
        }
    }
}
