using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Core.Tls;
using Postern.Server.Auth;
using Postern.Server.Options;
using Postern.Server.Telemetry;
using Postern.Tests.Server.Auth;

namespace Postern.Tests.Server.Telemetry;

/// <summary>The server's instruments fire at the dialogue's events, with bounded labels.</summary>
public sealed class ServerMetricsDialogTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new();
    private readonly TestTlsContext _tls = new();

    public void Dispose()
    {
        _recorder.Dispose();
        _tls.Dispose();
    }

    private ServerMetrics NewMetrics() => new(_recorder.Meter);

    private async Task<DialogHarness> ConnectAsync(SmtpServerOptions? options = null, IPolicyEngine? policy = null, AuthServices? auth = null, bool tls = false)
    {
        var metrics = NewMetrics();
        var harness = new DialogHarness(
            policy, null, options, tls: tls ? _tls : null, configure: s => s with { Metrics = metrics, Auth = auth ?? s.Auth });
        await harness.ExpectAsync("220 mx.test ESMTP");
        return harness;
    }

    [Fact]
    public async Task An_accepted_message_counts_once_with_its_listener_and_its_bytes()
    {
        await using var dialog = await ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.StartDataAsync();
        await dialog.SendAndExpectAsync("Subject: hi\r\n\r\nbody\r\n.\r\n", "250 2.0.0 Ok: queued");

        Assert.Equal(1, _recorder.Sum("postern.smtp.messages", "listener=mta", "result=accepted"));
        Assert.Equal(0, _recorder.Count("postern.smtp.rejections"));
        // The client's bytes after dot-unstuffing, without the Received header Postern prepends.
        Assert.Equal("Subject: hi\r\n\r\nbody\r\n".Length, _recorder.Sum("postern.smtp.received", "listener=mta"));
    }

    [Fact]
    public async Task A_relay_attempt_counts_as_a_rejection_by_stage_and_rule_only()
    {
        await using var dialog = await ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<victim@elsewhere.example>\r\n", "550 5.7.1");

        var (_, value, tags) = Assert.Single(_recorder.All, m => m.Instrument == "postern.smtp.rejections");
        Assert.Equal(1, value);
        Assert.Equal(new Dictionary<string, string?> { ["stage"] = "check_rcpt", ["rule"] = "reject_unauth_destination" }, tags);
        Assert.Equal(0, _recorder.Count("postern.smtp.messages"));
    }

    [Fact]
    public async Task The_require_tls_refusal_is_not_counted_as_a_rejection()
    {
        await using var dialog = await ConnectAsync(DialogHarness.TlsOptions(ListenerTlsMode.StartTls, ClientCertificateMode.None, requireTls: true), tls: true);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "530 5.7.0 Must issue a STARTTLS command first");

        Assert.Equal(0, _recorder.Count("postern.smtp.rejections"));
    }

    [Theory]
    [InlineData("discard", "discarded")]
    [InlineData("quarantine", "quarantined")]
    public async Task Discarded_and_quarantined_messages_are_not_counted_as_accepted(string verdict, string result)
    {
        var decision = verdict == "discard" ? PolicyDecision.Discard("check_recipient_access: DISCARD") : PolicyDecision.Quarantine("check_recipient_access: HOLD");
        var policy = new ScriptedPolicy { Recipients = { ["user"] = decision } };
        await using var dialog = await ConnectAsync(policy: policy);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.StartDataAsync();
        await dialog.SendAndExpectAsync("Subject: hi\r\n\r\nbody\r\n.\r\n", "250 2.0.0 Ok: queued");

        Assert.Equal(1, _recorder.Sum("postern.smtp.messages", "listener=mta", "result=" + result));
        Assert.Equal(0, _recorder.Count("postern.smtp.messages", "result=accepted"));
    }

    [Fact]
    public async Task A_rejection_at_connect_counts_under_check_relay()
    {
        var policy = new ScriptedPolicy { Connect = PolicyDecision.Reject(new SmtpReply(554, "5.7.1", "go away"), "check_client_access: /etc/mail/access:3 REJECT") };
        await using var dialog = new DialogHarness(policy, null, configure: s => s with { Metrics = NewMetrics() });
        await dialog.ExpectAsync("554 5.7.1");
        Assert.Equal(1, _recorder.Sum("postern.smtp.rejections", "stage=check_relay", "rule=check_client_access"));
    }

    [Fact]
    public async Task An_oversized_message_counts_as_a_data_rejection_for_message_size()
    {
        await using var dialog = await ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.StartDataAsync();
        await dialog.SendAndExpectAsync("Subject: big\r\n\r\n" + new string('x', 20_000) + "\r\n.\r\n", "552");
        Assert.Equal(1, _recorder.Sum("postern.smtp.rejections", "stage=check_data", "rule=message_size"));
        Assert.Equal(0, _recorder.Count("postern.smtp.messages"));
    }

    [Fact]
    public async Task A_starttls_handshake_counts_with_version_and_verify_result()
    {
        await using var dialog = await ConnectAsync(DialogHarness.TlsOptions(ListenerTlsMode.StartTls, ClientCertificateMode.None, false), tls: true);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220 2.0.0");
        using var stream = await dialog.StartTlsAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");

        var (_, value, tags) = Assert.Single(_recorder.All, m => m.Instrument == "postern.smtp.tls.handshakes");
        Assert.Equal(1, value);
        Assert.Equal("ok", tags["result"]);
        Assert.Equal(stream.SslProtocol == System.Security.Authentication.SslProtocols.Tls13 ? "TLSv1.3" : "TLSv1.2", tags["version"]);
        Assert.Equal("NOT", tags["verify"]);
    }

    [Fact]
    public async Task A_failed_handshake_counts_as_failed()
    {
        await using var dialog = await ConnectAsync(DialogHarness.TlsOptions(ListenerTlsMode.StartTls, ClientCertificateMode.None, false), tls: true);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220 2.0.0");
        await dialog.SendAsync("this is not a TLS client hello\r\n\r\n");
        Assert.True(await dialog.ServerClosedAsync());
        Assert.Equal(1, _recorder.Sum("postern.smtp.tls.handshakes", "result=failed", "version=none"));
    }

    [Fact]
    public async Task Auth_outcomes_count_by_the_servers_mechanism_name_and_result()
    {
        var options = AuthDialog.Options(new AuthOptions { PlaintextRequiresTls = false });
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var dialog = await ConnectAsync(options, auth: AuthDialog.Services(options, clock));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + AuthDialog.Plain("alice", "wrong") + "\r\n", "535 5.7.8");
        await dialog.SendAndExpectAsync("AUTH plain " + AuthDialog.Plain("alice", "secret") + "\r\n", "235 2.7.0");

        Assert.Equal(1, _recorder.Sum("postern.smtp.auth", "mechanism=PLAIN", "result=failure"));
        Assert.Equal(1, _recorder.Sum("postern.smtp.auth", "mechanism=PLAIN", "result=success"));
        Assert.DoesNotContain(_recorder.All, m => m.Instrument == "postern.smtp.auth" && m.Tags["mechanism"] == "plain");
    }

    [Fact]
    public async Task Unknown_mechanisms_named_by_the_client_never_become_labels()
    {
        var options = AuthDialog.Options(new AuthOptions { PlaintextRequiresTls = false });
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var dialog = await ConnectAsync(options, auth: AuthDialog.Services(options, clock));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH X-MADE-UP-12345\r\n", "504");
        Assert.Equal(0, _recorder.Count("postern.smtp.auth"));
    }
}
