using Postern.Core.Tls;
using Postern.Server.Options;
using static Postern.Tests.Server.Auth.AuthDialog;

namespace Postern.Tests.Server.Auth;

public sealed class AuthDialogTests : IDisposable
{
    private static readonly AuthOptions PlaintextAllowed = new() { PlaintextRequiresTls = false };
    private readonly TestTlsContext _tls = new();

    public void Dispose() => _tls.Dispose();

    [Fact]
    public async Task Ehlo_before_tls_offers_neither_plaintext_nor_plus_mechanisms()
    {
        await using var dialog = await ConnectAsync(Options(tls: ListenerTlsMode.StartTls), tls: _tls);
        await dialog.SendAsync("EHLO c\r\n");
        var ehlo = await dialog.ExpectAsync("250-");
        Assert.Contains("250-AUTH SCRAM-SHA-256\n", ehlo, StringComparison.Ordinal);
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "538 5.7.11 Encryption required for requested authentication mechanism");
        await dialog.SendAndExpectAsync("AUTH LOGIN\r\n", "538 5.7.11");
    }

    [Fact]
    public async Task After_starttls_every_configured_mechanism_is_offered_in_order_and_plain_works()
    {
        await using var dialog = await ConnectAsync(Options(tls: ListenerTlsMode.StartTls), tls: _tls);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220");
        await dialog.StartTlsAsync();
        await dialog.SendAsync("EHLO c\r\n");
        Assert.Contains("250-AUTH SCRAM-SHA-256-PLUS SCRAM-SHA-256 PLAIN LOGIN\n", await dialog.ExpectAsync("250-"), StringComparison.Ordinal);
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235 2.7.0 Authentication successful");
    }

    [Fact]
    public async Task Plus_mechanisms_get_tls_server_end_point_but_no_tls_exporter()
    {
        var options = Options(tls: ListenerTlsMode.StartTls);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var auth = Services(options, clock);
        await using var dialog = await ConnectAsync(options, auth, clock, _tls);
        await dialog.SendAndExpectAsync("EHLO c\r\nSTARTTLS\r\n", "250-");
        await dialog.ExpectAsync("220");
        using var tls = await dialog.StartTlsAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH SCRAM-SHA-256-PLUS " + B64("hello") + "\r\n", "334 " + B64("challenge"));
        await dialog.SendAndExpectAsync(B64("alice:secret") + "\r\n", "334 " + B64("v=final"));
        await dialog.SendAndExpectAsync("\r\n", "235 2.7.0");
        var context = ((FakeMechanismFactory)auth.Find("SCRAM-SHA-256-PLUS")!).LastContext!;
        Assert.True(context.IsTls);
        Assert.Null(context.TlsExporter);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(tls.RemoteCertificate!.GetRawCertData()), context.TlsServerEndPoint);
    }

    [Fact]
    public async Task Login_exchange_and_cancel()
    {
        await using var dialog = await ConnectAsync(Options(PlaintextAllowed));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH LOGIN\r\n", "334 VXNlcm5hbWU6");
        await dialog.SendAndExpectAsync(B64("alice") + "\r\n", "334 UGFzc3dvcmQ6");
        await dialog.SendAndExpectAsync("*\r\n", "501 5.0.0 Authentication cancelled");
        await dialog.SendAndExpectAsync("AUTH LOGIN\r\n", "334 VXNlcm5hbWU6");
        await dialog.SendAndExpectAsync(B64("alice") + "\r\n", "334 UGFzc3dvcmQ6");
        await dialog.SendAndExpectAsync(B64("secret") + "\r\n", "235 2.7.0");
    }

    [Theory]
    [InlineData("AUTH PLAIN not*base64\r\n")]
    [InlineData("AUTH PLAIN YWxp Y2U=\r\n")]
    [InlineData("AUTH PLAIN YWxpY2U\r\n")]
    public async Task Malformed_initial_response_gets_501_5_5_2(string line)
    {
        await using var dialog = await ConnectAsync(Options(PlaintextAllowed));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync(line, line.Count(c => c == ' ') > 2 ? "501 5.5.4" : "501 5.5.2");
        // The session stays in step.
        await dialog.SendAndExpectAsync("NOOP\r\n", "250 2.0.0");
    }

    [Fact]
    public async Task Malformed_response_line_and_empty_initial_response()
    {
        await using var dialog = await ConnectAsync(Options(PlaintextAllowed));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH PLAIN\r\n", "334 ");
        await dialog.SendAndExpectAsync("%%%%\r\n", "501 5.5.2 Cannot decode response");
        // "=" is an empty initial response: PLAIN finds it malformed, not absent.
        await dialog.SendAndExpectAsync("AUTH PLAIN =\r\n", "501 5.5.2");
    }

    [Fact]
    public async Task Sasl_lines_may_be_longer_than_command_lines_up_to_12288()
    {
        await using var dialog = await ConnectAsync(Options(PlaintextAllowed));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH PLAIN\r\n", "334 ");
        await dialog.SendAndExpectAsync(Plain("alice", new string('x', 6000)) + "\r\n", "535 5.7.8");
        await dialog.SendAndExpectAsync("AUTH PLAIN\r\n", "334 ");
        await dialog.SendAndExpectAsync(new string('A', 12300) + "\r\n", "500 5.5.6 Authentication exchange line is too long");
        await dialog.SendAndExpectAsync("NOOP\r\n", "250");
    }

    [Theory]
    [InlineData("AUTH X-UNKNOWN\r\n")]
    [InlineData("AUTH CRAM-MD5\r\n")] // a mechanism nobody configured
    [InlineData("AUTH EXTERNAL\r\n")] // configured by factory, not offered without a verified certificate
    public async Task Unknown_or_not_offered_mechanisms_get_504(string line)
    {
        var auth = PlaintextAllowed with { Mechanisms = ["SCRAM-SHA-256", "PLAIN", "EXTERNAL"], TrustedMechanisms = ["SCRAM-SHA-256"] };
        await using var dialog = await ConnectAsync(Options(auth));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync(line, "504 5.5.4 Unrecognized authentication type");
    }

    [Fact]
    public async Task Auth_needs_ehlo_a_single_success_and_no_transaction()
    {
        await using var dialog = await ConnectAsync(Options(PlaintextAllowed));
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "503 5.5.1");
        await dialog.SendAndExpectAsync("HELO c\r\n", "250");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "503 5.5.1");
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "503 5.5.1 Error: AUTH not allowed during a mail transaction");
        await dialog.SendAndExpectAsync("RSET\r\n", "250");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235 2.7.0");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "503 5.5.1 Already authenticated");
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_535()
    {
        var options = Options(PlaintextAllowed);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var users = new FakeUserDirectory();
        await using var dialog = await ConnectAsync(options, Services(options, clock, users), clock);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        var wrong = await dialog.ReadAfterAsync("AUTH PLAIN " + Plain("alice", "nope") + "\r\n");
        var unknown = await dialog.ReadAfterAsync("AUTH PLAIN " + Plain("mallory", "nope") + "\r\n");
        Assert.Equal("535 5.7.8 Authentication credentials invalid", wrong);
        Assert.Equal(wrong, unknown);
        Assert.Equal(["alice", "mallory"], users.Lookups);
    }

    [Fact]
    public async Task Temporary_user_store_failure_gets_454()
    {
        await using var dialog = await ConnectAsync(Options(PlaintextAllowed));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("tempfail", "x") + "\r\n", "454 4.7.0");
    }

    [Fact]
    public async Task Failure_reply_waits_for_the_delay_on_the_injected_clock()
    {
        var delay = TimeSpan.FromSeconds(7);
        var options = Options(PlaintextAllowed, failureDelay: delay);
        var clock = new RecordingClock();
        await using var dialog = await ConnectAsync(options, clock: clock);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAsync("AUTH PLAIN " + Plain("alice", "nope") + "\r\n");
        for (var i = 0; i < 500 && !clock.HasTimer(delay); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(clock.HasTimer(delay), "the session should wait on the clock for the failure delay");
        var reply = dialog.ReadReplyAsync();
        Assert.False(reply.IsCompleted);
        clock.Advance(delay);
        Assert.StartsWith("535 5.7.8", await reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_discards_authentication()
    {
        var options = Options(tls: ListenerTlsMode.StartTls, mode: ListenerAuthMode.Require);
        await using var dialog = await ConnectAsync(options, tls: _tls);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH SCRAM-SHA-256 " + B64("hello") + "\r\n", "334");
        await dialog.SendAndExpectAsync(B64("alice:secret") + "\r\n", "334");
        await dialog.SendAndExpectAsync("\r\n", "235");
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220");
        await dialog.StartTlsAsync();
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "503 5.5.1 Error: send HELO/EHLO first");
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<alice@example.org>\r\n", "530 5.7.0 Authentication required");
        // Not "Already authenticated": the AUTH before TLS is forgotten.
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235 2.7.0");
        await dialog.SendAndExpectAsync("MAIL FROM:<alice@example.org>\r\n", "250 2.1.0");
    }

    [Fact]
    public async Task Require_mode_refuses_mail_until_auth_succeeds()
    {
        await using var dialog = await ConnectAsync(Options(PlaintextAllowed, mode: ListenerAuthMode.Require));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<alice@example.org>\r\n", "530 5.7.0 Authentication required");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "wrong") + "\r\n", "535");
        await dialog.SendAndExpectAsync("MAIL FROM:<alice@example.org>\r\n", "530 5.7.0");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235");
        await dialog.SendAndExpectAsync("MAIL FROM:<alice@example.org>\r\n", "250 2.1.0");
    }

    [Fact]
    public async Task Off_mode_neither_offers_nor_accepts_auth()
    {
        await using var dialog = await ConnectAsync(Options(PlaintextAllowed, mode: ListenerAuthMode.Off));
        await dialog.SendAsync("EHLO c\r\n");
        Assert.DoesNotContain("AUTH", await dialog.ExpectAsync("250-"), StringComparison.Ordinal);
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "502 5.5.1");
    }

    [Fact]
    public async Task External_is_offered_only_for_a_verified_certificate_mapped_to_a_user()
    {
        var options = Options(new AuthOptions { Mechanisms = ["EXTERNAL", "PLAIN"] }, ListenerTlsMode.StartTls, clientCertificates: ClientCertificateMode.Ask);
        foreach (var (subject, offered) in new[] { ("trusted-client", true), ("forged-client", false) })
        {
            using var certificate = TestTlsContext.Create("CN=" + subject, serverAuth: false);
            await using var dialog = await ConnectAsync(options, tls: _tls);
            await dialog.SendAsync("EHLO c\r\n");
            Assert.DoesNotContain("EXTERNAL", await dialog.ExpectAsync("250-"), StringComparison.Ordinal);
            await dialog.SendAndExpectAsync("STARTTLS\r\n", "220");
            await dialog.StartTlsAsync(certificate);
            await dialog.SendAsync("EHLO c\r\n");
            var ehlo = await dialog.ExpectAsync("250-");
            Assert.Equal(offered, ehlo.Contains("AUTH EXTERNAL PLAIN", StringComparison.Ordinal));
            await dialog.SendAndExpectAsync("AUTH EXTERNAL =\r\n", offered ? "235 2.7.0" : "504 5.5.4");
        }
    }
}
