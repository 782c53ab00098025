namespace Postern.EndToEnd;

/// <summary>Real mail clients (swaks, curl, python3 smtplib) deliver into the Maildir.</summary>
public sealed class ClientTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private PosternProcess Server => shared.Server;

    [Fact]
    public async Task Swaks_delivers_to_the_maildir_and_the_mail_log_shows_it()
    {
        var token = Token();
        var (code, output) = await ExternalCommand.RunAsync("swaks", "--to", "user@localhost", "--from", "sender@example.org",
            "--server", Server.Mta.ToString(), "--header", "Subject: " + token, "--body", "hello from swaks");
        Assert.True(code == 0, output);
        var mail = await Server.WaitForMailAsync("user", token);
        Assert.Contains("hello from swaks", mail, StringComparison.Ordinal);
        Assert.StartsWith("Return-Path: <sender@example.org>", mail, StringComparison.Ordinal);
        Assert.Contains("Received: from ", mail, StringComparison.Ordinal);
        var accepted = await Server.WaitForLogAsync(l => l.Contains("from=<sender@example.org>", StringComparison.Ordinal) && l.Contains("daemon=mta", StringComparison.Ordinal));
        var queueId = accepted.Split(": ")[1];
        await Server.WaitForLogAsync(l => l.Contains(queueId + ": to=<user@localhost>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Curl_delivers_over_the_submission_listener()
    {
        var token = Token();
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, $"From: a@example.org\r\nTo: alice@localhost\r\nSubject: {token}\r\n\r\nfrom curl\r\n");
        var (code, output) = await ExternalCommand.RunAsync("curl", "-sS", "--max-time", "30", "smtp://" + Server.Msa + "/client.test",
            "--mail-from", "a@example.org", "--mail-rcpt", "alice@localhost", "-T", file);
        File.Delete(file);
        Assert.True(code == 0, output);
        var mail = await Server.WaitForMailAsync("alice", token);
        Assert.Contains("from curl", mail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_smtplib_sends_to_several_recipients_and_sees_relaying_refused()
    {
        var token = Token();
        var script = $$"""
            import smtplib, sys
            s = smtplib.SMTP("{{Server.Mta.Address}}", {{Server.Mta.Port}}, timeout=30)
            s.ehlo("python.test")
            assert s.has_extn("pipelining") and s.has_extn("chunking") and s.has_extn("smtputf8"), s.esmtp_features
            refused = s.sendmail("p@example.org", ["bob@localhost", "postmaster@localhost"], "Subject: {{token}}\r\n\r\n.dot line\r\n")
            assert refused == {}, refused
            try:
                s.sendmail("p@example.org", ["victim@elsewhere.example"], "Subject: relay\r\n\r\nno\r\n")
                sys.exit("relayed!")
            except smtplib.SMTPRecipientsRefused as e:
                code, text = e.recipients["victim@elsewhere.example"]
                assert code == 550 and b"5.7.1" in text, (code, text)
            s.quit()
            """;
        var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
        Assert.True(code == 0, output);
        var mail = await Server.WaitForMailAsync("bob", token);
        Assert.Contains("\r\n.dot line\r\n", mail, StringComparison.Ordinal);
        await Server.WaitForMailAsync("postmaster", token);
    }

    [Fact]
    public async Task Unknown_local_user_is_refused_at_rcpt()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Server.Mta);
        Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("EHLO raw.test"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@example.org>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.1.1", await client.CommandAsync("RCPT TO:<nosuchuser@localhost>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.7.1", await client.CommandAsync("RCPT TO:<user@elsewhere.example>"), StringComparison.Ordinal);
        Assert.StartsWith("221", await client.CommandAsync("QUIT"), StringComparison.Ordinal);
    }

    private static string Token() => "token-" + Guid.NewGuid().ToString("N");
}
