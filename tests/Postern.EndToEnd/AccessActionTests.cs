using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.EndToEnd;

/// <summary>
/// The access map's REJECT and ERROR values through the real binary: at connect, at MAIL
/// (From:) and at RCPT (To:, ahead of the certificate that would otherwise relay).
/// </summary>
public sealed class AccessActionTests
{
    [Fact]
    public async Task From_reject_and_to_error_entries_give_their_replies_even_to_a_relaying_certificate()
    {
        using var pki = new TestPki();
        var (entryCode, entry) = await Binary.RunAsync("cert", "access-entry", pki["client.pem"]);
        Assert.True(entryCode == 0, entry);
        await using var hub = await CertificateHub.StartWithMapAsync(pki, entry
            + "From:blocked@laptop.test\tREJECT\n"
            + "To:remote.test\tERROR:\"550 5.7.1 custom text\"\n");

        var output = await PythonSmtp.RunAsync(pki, hub.Port, """
            s = session("client")
            show("mail-blocked", s.mail("blocked@laptop.test"))
            s.rset()
            show("mail-joe", s.mail("joe@laptop.test"))
            show("rcpt", s.rcpt("someone@remote.test"))
            s.quit()
            """);

        Assert.Contains("mail-blocked 550 5.7.1 Access denied", output, StringComparison.Ordinal);
        Assert.Contains("mail-joe 250 ", output, StringComparison.Ordinal);
        Assert.Contains("rcpt 550 5.7.1 custom text", output, StringComparison.Ordinal);
        await hub.Postern.WaitForLogAsync(l => l.Contains("ruleset=check_mail, arg1=<blocked@laptop.test>", StringComparison.Ordinal) && l.Contains("reject=550 5.7.1 Access denied", StringComparison.Ordinal));
        var rcpt = await hub.Postern.WaitForLogAsync(l => l.Contains("ruleset=check_rcpt, arg1=<someone@remote.test>", StringComparison.Ordinal));
        Assert.Contains("reject=550 5.7.1 custom text", rcpt, StringComparison.Ordinal);
        Assert.DoesNotContain(": from=<", hub.Postern.Log, StringComparison.Ordinal);
        Assert.Empty(hub.Sink.Delivered);
    }

    [Fact]
    public async Task Connect_reject_refuses_the_client_in_the_greeting_and_closes()
    {
        using var pki = new TestPki();
        await using var hub = await CertificateHub.StartWithMapAsync(pki, "Connect:127.0.0.1\tREJECT\n");

        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(IPAddress.Loopback, hub.Port, timeout.Token);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var greeting = await reader.ReadLineAsync(timeout.Token);
        var rest = await reader.ReadToEndAsync(timeout.Token);

        Assert.Equal("554 5.7.1 Access denied", greeting);
        Assert.Equal("", rest);
        var line = await hub.Postern.WaitForLogAsync(l => l.Contains("ruleset=check_relay", StringComparison.Ordinal));
        Assert.Contains("reject=554 5.7.1 Access denied", line, StringComparison.Ordinal);
    }
}
