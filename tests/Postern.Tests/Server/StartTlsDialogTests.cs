using System.Text;
using Postern.Core.Tls;

namespace Postern.Tests.Server;

public sealed class StartTlsDialogTests : IDisposable
{
    private readonly TestTlsContext _tls = new();

    public void Dispose() => _tls.Dispose();

    private Task<DialogHarness> ConnectAsync(ListenerTlsMode mode, ClientCertificateMode clientCertificates = ClientCertificateMode.None, bool requireTls = false) =>
        DialogHarness.ConnectAsync(DialogHarness.TlsOptions(mode, clientCertificates, requireTls), tls: _tls);

    [Fact]
    public async Task Starttls_is_offered_before_tls_and_not_after()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls);
        await dialog.SendAsync("EHLO c\r\n");
        Assert.Contains("250-STARTTLS", await dialog.ExpectAsync("250-"), StringComparison.Ordinal);
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220 2.0.0 Ready to start TLS");
        await dialog.StartTlsAsync();
        await dialog.SendAsync("EHLO c\r\n");
        Assert.DoesNotContain("STARTTLS", await dialog.ExpectAsync("250-"), StringComparison.Ordinal);
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "503 5.5.1");
    }

    [Fact]
    public async Task Quit_after_starttls_gets_its_221_and_then_a_clean_tls_close()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220 2.0.0");
        await dialog.StartTlsAsync();
        await dialog.SendAndExpectAsync("QUIT\r\n", "221 2.0.0");
        // The 221 and the close_notify leave together: the client reads the reply, then a clean end of stream.
        Assert.True(await dialog.ServerClosedAsync());
    }

    [Fact]
    public async Task Starttls_is_not_offered_on_a_plain_listener()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.None);
        await dialog.SendAsync("EHLO c\r\n");
        Assert.DoesNotContain("STARTTLS", await dialog.ExpectAsync("250-"), StringComparison.Ordinal);
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "502 5.5.1");
    }

    [Fact]
    public async Task Tls_resets_the_session_and_the_message_records_the_tls_facts()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220 2.0.0");
        await dialog.StartTlsAsync();
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "503 5.5.1");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "503 5.5.1 Error: send HELO/EHLO first");
        await dialog.StartDataAsync();
        await dialog.SendAndExpectAsync("Subject: tls\r\n\r\nhi\r\n.\r\n", "250 2.0.0 Ok: queued");
        var (envelope, bytes) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal("ESMTPS", envelope.Client.Protocol);
        var received = Encoding.UTF8.GetString(bytes).Split("\r\nSubject:")[0];
        Assert.Matches(@"with ESMTPS id \w+\r\n\t\(version=TLSv1\.[23] cipher=TLS_\w+ bits=(128|256) verify=NOT\)", received);
    }

    [Fact]
    public async Task Plaintext_pipelined_after_starttls_is_discarded()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAsync("STARTTLS\r\nRSET\r\nMAIL FROM:<injected@example.org>\r\n");
        await dialog.ExpectAsync("220 2.0.0");
        await dialog.StartTlsAsync();
        // Had RSET or MAIL been taken over TLS, their replies would come first.
        await dialog.SendAndExpectAsync("VRFY x\r\n", "252 2.5.0");
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "503 5.5.1 Error: need MAIL");
    }

    [Fact]
    public async Task Require_tls_refuses_mail_before_starttls()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls, requireTls: true);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "530 5.7.0 Must issue a STARTTLS command first");
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220");
        await dialog.StartTlsAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
    }

    [Theory]
    [InlineData("trusted-client", "verify=OK")]
    [InlineData("forged-client", "verify=FAIL")]
    public async Task A_client_certificate_in_ask_mode_is_recorded_never_refused(string subject, string expected)
    {
        using var certificate = TestTlsContext.Create("CN=" + subject, serverAuth: false);
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls, ClientCertificateMode.Ask);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("STARTTLS\r\n", "220");
        await dialog.StartTlsAsync(certificate);
        await dialog.StartDataAsync();
        await dialog.SendAndExpectAsync("hi\r\n.\r\n", "250 2.0.0");
        var (_, bytes) = Assert.Single(dialog.Queue.Committed);
        Assert.Contains(expected + ")", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_mode_without_a_certificate_records_no()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls, ClientCertificateMode.Ask);
        await dialog.SendAndExpectAsync("EHLO c\r\nSTARTTLS\r\n", "250-");
        await dialog.ExpectAsync("220");
        await dialog.StartTlsAsync();
        await dialog.StartDataAsync();
        await dialog.SendAndExpectAsync("hi\r\n.\r\n", "250 2.0.0");
        Assert.Contains("verify=NO)", Encoding.UTF8.GetString(Assert.Single(dialog.Queue.Committed).Bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Require_mode_closes_a_session_whose_certificate_did_not_verify()
    {
        using var certificate = TestTlsContext.Create("CN=forged-client", serverAuth: false);
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls, ClientCertificateMode.Require);
        await dialog.SendAndExpectAsync("EHLO c\r\nSTARTTLS\r\n", "250-");
        await dialog.ExpectAsync("220");
        await dialog.StartTlsAsync(certificate);
        await dialog.ExpectAsync("421 4.7.1");
        Assert.True(await dialog.ServerClosedAsync());
    }

    [Fact]
    public async Task Implicit_tls_handshakes_before_the_greeting()
    {
        await using var dialog = new DialogHarness(DialogHarness.TlsOptions(ListenerTlsMode.Implicit), tls: _tls);
        var tls = await dialog.StartTlsAsync();
        Assert.True(tls.IsEncrypted);
        await dialog.ExpectAsync("220 mx.test ESMTP");
        await dialog.SendAsync("EHLO c\r\n");
        Assert.DoesNotContain("STARTTLS", await dialog.ExpectAsync("250-"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_handshake_closes_the_connection()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls);
        await dialog.SendAndExpectAsync("EHLO c\r\nSTARTTLS\r\n", "250-");
        await dialog.ExpectAsync("220");
        await dialog.SendAsync("this is not a TLS client hello\r\n\r\n\r\n");
        Assert.True(await dialog.ServerClosedAsync());
        await dialog.SessionTask.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_tls_alert_instead_of_a_client_hello_is_a_failed_handshake_not_a_session_fault()
    {
        await using var dialog = await ConnectAsync(ListenerTlsMode.StartTls);
        await dialog.SendAndExpectAsync("EHLO c\r\nSTARTTLS\r\n", "250-");
        await dialog.ExpectAsync("220");
        // What a client that only speaks TLS 1.0 sends when TLS 1.0 is disabled on its side: a protocol_version alert.
        await dialog.SendAsync([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]);
        Assert.True(await dialog.ServerClosedAsync());
        await dialog.SessionTask.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
