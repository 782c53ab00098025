using System.Text;

namespace Postern.EndToEnd;

/// <summary>
/// The real binary's answers to a client that sends too many recipients or bare LFs: the session
/// stays usable, the accepted recipients get the message, and what is delivered has CRLF only.
/// </summary>
public sealed class SessionRepliesTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly string[] Users = ["user", "alice", "bob"];

    private PosternProcess Server => shared.Server;

    [Fact]
    public async Task Two_hundred_pipelined_recipients_get_100_accepted_and_the_message_reaches_them()
    {
        var token = "overshoot-" + Guid.NewGuid().ToString("N");
        await using var client = await RawSmtpClient.ConnectAsync(Server.Mta);
        Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("EHLO pipeline.test"), StringComparison.Ordinal);
        var group = new StringBuilder("MAIL FROM:<many@example.org>\r\n");
        for (var i = 0; i < 200; i++)
        {
            group.Append("RCPT TO:<").Append(Users[i % Users.Length]).Append("@localhost>\r\n");
        }
        await client.SendAsync(group.Append("DATA\r\n").ToString());

        Assert.StartsWith("250 2.1.0", await client.ReadReplyAsync(), StringComparison.Ordinal);
        var replies = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            replies.Add(await client.ReadReplyAsync() ?? "(closed)");
        }
        Assert.All(replies[..100], r => Assert.StartsWith("250 2.1.5", r, StringComparison.Ordinal));
        Assert.All(replies[100..], r => Assert.StartsWith("452 4.5.3", r, StringComparison.Ordinal));
        Assert.StartsWith("354", await client.ReadReplyAsync(), StringComparison.Ordinal);
        var queued = await client.CommandAsync("Subject: " + token + "\r\n\r\nto the first hundred\r\n.");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", queued, StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("NOOP"), StringComparison.Ordinal);

        var id = queued["250 2.0.0 Ok: queued as ".Length..];
        await Server.WaitForLogAsync(l => l.Contains(id + ": from=<many@example.org>", StringComparison.Ordinal) && l.Contains("nrcpts=100,", StringComparison.Ordinal));
        foreach (var user in Users)
        {
            Assert.Contains("to the first hundred", await Server.WaitForMailAsync(user, token), StringComparison.Ordinal);
        }
        await Server.WaitForLogAsync(l => l.Contains("arg1=<alice@localhost>", StringComparison.Ordinal) && l.Contains("reject=452 4.5.3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bare_lf_from_an_old_script_is_delivered_with_crlf_and_logged()
    {
        var token = "bare-lf-" + Guid.NewGuid().ToString("N");
        await using var client = await RawSmtpClient.ConnectAsync(Server.Mta);
        Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("EHLO script.test"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<script@example.org>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<bob@localhost>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
        // Five bare LFs; the lone dot after one is not the end of the data (only CRLF.CRLF is) and is dropped.
        var queued = await client.CommandAsync("Subject: " + token + "\n\nline one\nline two\n.\nstill the message\r\n.");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", queued, StringComparison.Ordinal);

        var mail = await Server.WaitForMailAsync("bob", token);
        Assert.Contains("\r\n\r\nline one\r\nline two\r\nstill the message\r\n", mail, StringComparison.Ordinal);
        Assert.DoesNotContain("line one\nline", mail, StringComparison.Ordinal);
        var id = queued["250 2.0.0 Ok: queued as ".Length..];
        await Server.WaitForLogAsync(l => l.Contains(id + ": bare LF normalized to CRLF, count=5, from=<script@example.org>", StringComparison.Ordinal));
    }
}
