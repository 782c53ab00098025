using System.Text;
using Postern.Core.Queueing;

namespace Postern.Tests.Server;

public sealed class SessionDialogTests
{
    [Fact]
    public async Task Ehlo_advertises_the_extensions_with_the_configured_size()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAsync("EHLO client.test\r\n");
        var reply = await dialog.ExpectAsync("250-mx.test greets client.test");
        foreach (var keyword in new[] { "PIPELINING", "SIZE 10000", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8", "DSN", "CHUNKING", "DELIVERBY 60" })
        {
            Assert.Contains("250-" + keyword, reply.Replace("250 ", "250-", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("STARTTLS", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_is_queued_with_a_received_header_and_unstuffed_body()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.org> BODY=8BITMIME\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAsync("Subject: hi\r\nMessage-ID: <m1@example.org>\r\n\r\n..dotted\r\n. not the end\r\nbody\r\n.\r\n");
        var reply = await dialog.ExpectAsync("250 2.0.0 Ok: queued as ");
        var (envelope, bytes) = Assert.Single(dialog.Queue.Committed);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.test (Postern) with ESMTP id " + reply[^16..] + "\r\n\tfor <user@localhost>; Mon, 23 Nov 2026 ", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\nSubject: hi\r\nMessage-ID: <m1@example.org>\r\n\r\n.dotted\r\n not the end\r\nbody\r\n", text, StringComparison.Ordinal);
        Assert.Equal("sender@example.org", envelope.Sender!.ToString());
        Assert.Equal(BodyType.EightBitMime, envelope.Body);
        Assert.Equal("ESMTP", envelope.Client.Protocol);
        Assert.Equal("client.test", envelope.Client.HeloName);
    }

    [Fact]
    public async Task Pipelined_commands_get_their_replies_in_order()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAsync("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<user@localhost>\r\nRCPT TO:<nobody@localhost>\r\nRCPT TO:<alice@localhost>\r\nDATA\r\n");
        await dialog.ExpectAsync("250-mx.test");
        await dialog.ExpectAsync("250 2.1.0");
        await dialog.ExpectAsync("250 2.1.5");
        await dialog.ExpectAsync("550 5.1.1 <nobody@localhost>");
        await dialog.ExpectAsync("250 2.1.5");
        await dialog.ExpectAsync("354");
        await dialog.SendAsync("x\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n");
        await dialog.ExpectAsync("250 2.0.0 Ok: queued");
        await dialog.ExpectAsync("250 2.0.0 Ok");
        await dialog.ExpectAsync("250 2.0.0 Ok");
        await dialog.ExpectAsync("221 2.0.0");
        Assert.True(await dialog.ServerClosedAsync());
        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal(["user@localhost", "alice@localhost"], envelope.Recipients.Select(r => r.Address.ToString()));
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.org>\r\n", "503 5.5.1")]
    [InlineData("RCPT TO:<user@localhost>\r\n", "503 5.5.1")]
    [InlineData("DATA\r\n", "503 5.5.1")]
    public async Task Commands_out_of_sequence_before_helo_get_503(string command, string expected)
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync(command, expected);
        await dialog.SendAndExpectAsync("NOOP\r\n", "250 2.0.0");
    }

    [Fact]
    public async Task Transaction_state_is_guarded()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "503 5.5.1 Error: need MAIL");
        await dialog.SendAndExpectAsync("DATA\r\n", "503 5.5.1");
        await dialog.SendAndExpectAsync("MAIL FROM:<>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("MAIL FROM:<>\r\n", "503 5.5.1 Error: nested MAIL");
        await dialog.SendAndExpectAsync("DATA\r\n", "554 5.5.1 Error: no valid recipients");
        await dialog.SendAndExpectAsync("RSET\r\n", "250 2.0.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "503 5.5.1");
    }

    [Fact]
    public async Task Recipients_are_checked_by_policy()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250");
        await dialog.SendAndExpectAsync("RCPT TO:<someone@elsewhere.example>\r\n", "550 5.7.1 <someone@elsewhere.example>: Relaying denied");
        await dialog.SendAndExpectAsync("RCPT TO:<user@[127.0.0.1]>\r\n", "550 5.7.1");
        await dialog.SendAndExpectAsync("RCPT TO:<ghost@localhost>\r\n", "550 5.1.1");
        await dialog.SendAndExpectAsync("RCPT TO:<broken@localhost>\r\n", "451 4.3.0");
        await dialog.SendAndExpectAsync("RCPT TO:<@relay.example:user@elsewhere.example>\r\n", "550 5.7.1");
        await dialog.SendAndExpectAsync("RCPT TO:<user%elsewhere.example@localhost>\r\n", "550 5.1.1");
        await dialog.SendAndExpectAsync("RCPT TO:<Postmaster>\r\n", "250 2.1.5");
    }

    [Fact]
    public async Task Too_many_recipients_get_452()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\nMAIL FROM:<a@example.org>\r\n", "250");
        await dialog.ExpectAsync("250 2.1.0");
        for (var i = 0; i < 3; i++)
        {
            await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        }
        await dialog.SendAndExpectAsync("RCPT TO:<alice@localhost>\r\n", "452 4.5.3");
    }

    [Fact]
    public async Task Unknown_and_unimplemented_commands_and_bad_bytes_are_refused()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("XYZZY\r\n", "500 5.5.2");
        await dialog.SendAndExpectAsync("EXPN staff\r\n", "502 5.5.1");
        await dialog.SendAndExpectAsync("NOOP\0x\r\n", "500 5.5.2");
        await dialog.SendAsync([.. "NOOP "u8, 0xff, 0xfe, (byte)'\r', (byte)'\n']);
        await dialog.ExpectAsync("500 5.5.2");
        await dialog.SendAndExpectAsync("VRFY user\r\n", "252 2.5.0");
        await dialog.SendAndExpectAsync("HELP\r\n", "214 2.0.0");
        await dialog.SendAndExpectAsync("EHLO\r\n", "501 5.5.4");
    }

    [Fact]
    public async Task A_line_too_long_is_refused_once_and_the_session_stays_in_step()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAsync("NOOP " + new string('x', 5000) + "\r\nNOOP\r\n");
        await dialog.ExpectAsync("500 5.5.2 Error: line too long");
        await dialog.ExpectAsync("250 2.0.0");
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_and_the_next_one_is_accepted()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> SIZE=20000\r\n", "552 5.3.4");
        await dialog.SendAsync("MAIL FROM:<a@example.org>\r\nRCPT TO:<user@localhost>\r\nDATA\r\n");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("354");
        var line = new string('a', 998) + "\r\n";
        for (var i = 0; i < 12; i++)
        {
            await dialog.SendAsync(line);
        }
        await dialog.SendAndExpectAsync(".\r\n", "552 5.3.4");
        await dialog.SendAsync("MAIL FROM:<a@example.org>\r\nRCPT TO:<user@localhost>\r\nDATA\r\n");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("354");
        await dialog.SendAndExpectAsync("small\r\n.\r\n", "250 2.0.0");
        Assert.Single(dialog.Queue.Committed);
        Assert.Equal(1, dialog.Queue.Aborted);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\r")]
    [InlineData("\r\n.\n")]
    public async Task Smuggled_commands_after_a_bare_line_end_never_run(string fakeEnd)
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.StartDataAsync();
        await dialog.SendAsync("Subject: a\r\n\r\nhello" + fakeEnd
            + "MAIL FROM:<admin@localhost>\r\nRCPT TO:<alice@localhost>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n.\r\nNOOP\r\n");
        await dialog.ExpectAsync("550 5.6.0");
        await dialog.ExpectAsync("250 2.0.0 Ok");
        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task Too_many_errors_close_the_session_with_421()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        for (var i = 0; i < 9; i++)
        {
            await dialog.SendAndExpectAsync("BOGUS\r\n", "500");
        }
        await dialog.SendAsync("BOGUS\r\n");
        await dialog.ExpectAsync("500");
        await dialog.ExpectAsync("421 4.7.0");
        Assert.True(await dialog.ServerClosedAsync());
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("POST /x HTTP/1.0\r\n")]
    [InlineData("CONNECT example.org:443 HTTP/1.1\r\n")]
    public async Task An_http_request_as_first_command_closes_the_session(string request)
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAsync(request + "Host: x\r\n\r\n");
        await dialog.ExpectAsync("554 5.5.1");
        Assert.True(await dialog.ServerClosedAsync());
    }

    [Fact]
    public async Task An_idle_client_is_disconnected_with_421_after_the_command_timeout()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        dialog.Clock.Advance(TimeSpan.FromMinutes(6));
        await dialog.ExpectAsync("421 4.4.2");
        Assert.True(await dialog.ServerClosedAsync());
    }

    [Fact]
    public async Task Storage_failure_at_begin_gives_452_and_the_session_goes_on()
    {
        var queue = new FakeMessageQueue { FailOnBegin = true };
        await using var dialog = await DialogHarness.ConnectAsync(queue: queue);
        await dialog.SendAsync("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<user@localhost>\r\nDATA\r\n");
        await dialog.ExpectAsync("250-mx.test");
        await dialog.ExpectAsync("250 2.1.0");
        await dialog.ExpectAsync("250 2.1.5");
        await dialog.ExpectAsync("452 4.3.1");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Storage_failure_during_data_or_commit_gives_452_and_nothing_is_queued(bool atCommit)
    {
        var queue = new FakeMessageQueue { FailAfterBytes = atCommit ? null : 300, FailOnCommit = atCommit };
        await using var dialog = await DialogHarness.ConnectAsync(queue: queue);
        await dialog.StartDataAsync();
        await dialog.SendAsync(new string('x', 500) + "\r\n.\r\nNOOP\r\n");
        await dialog.ExpectAsync("452 4.3.1");
        await dialog.ExpectAsync("250 2.0.0 Ok");
        Assert.Empty(queue.Committed);
        Assert.Equal(1, queue.Aborted);
    }

    [Fact]
    public async Task Bdat_chunks_make_one_message_with_the_exact_bytes()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAsync("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<user@localhost>\r\n");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250");
        await dialog.SendAsync("BDAT 14\r\nSubject: x\r\n\r\nBDAT 9 LAST\r\n.leading\n");
        await dialog.ExpectAsync("250 2.0.0 14 octets received");
        await dialog.ExpectAsync("550 5.6.0");
        await dialog.SendAsync("MAIL FROM:<a@example.org>\r\nRCPT TO:<user@localhost>\r\nBDAT 14\r\nSubject: x\r\n\r\nBDAT 10 LAST\r\n.leading\r\n");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250 2.0.0 14 octets");
        await dialog.ExpectAsync("250 2.0.0 Ok: queued");
        var (_, bytes) = Assert.Single(dialog.Queue.Committed);
        Assert.EndsWith("\r\nSubject: x\r\n\r\n.leading\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bdat_out_of_sequence_consumes_its_chunk_and_stays_in_step()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAsync("EHLO c\r\nBDAT 12 LAST\r\nNOOP\r\nNOOP\r\nNOOP\r\n");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("503 5.5.1");
        await dialog.ExpectAsync("250 2.0.0 Ok");
        await dialog.SendAsync("MAIL FROM:<a@example.org>\r\nRCPT TO:<user@localhost>\r\nBDAT 3\r\nabcDATA\r\n");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250 2.0.0 3 octets");
        await dialog.ExpectAsync("503 5.5.1 Error: DATA not allowed after BDAT");
    }

    [Fact]
    public async Task Dsn_and_smtputf8_parameters_reach_the_envelope()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAsync("EHLO c\r\nMAIL FROM:<ünï@example.org> SMTPUTF8 RET=HDRS ENVID=abc+2Bdef\r\n"
            + "RCPT TO:<user@localhost> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;user+2Bx@localhost\r\nDATA\r\n");
        await dialog.ExpectAsync("250");
        await dialog.ExpectAsync("250 2.1.0");
        await dialog.ExpectAsync("250 2.1.5");
        await dialog.ExpectAsync("354");
        await dialog.SendAndExpectAsync("hi\r\n.\r\n", "250 2.0.0");
        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.True(envelope.SmtpUtf8);
        Assert.Equal(DsnReturn.Headers, envelope.Return);
        Assert.Equal("abc+def", envelope.EnvelopeId);
        Assert.Equal(DsnNotify.Success | DsnNotify.Failure, envelope.Recipients[0].Notify);
        Assert.Equal("rfc822;user+x@localhost", envelope.Recipients[0].OriginalRecipient);
        Assert.Equal("UTF8SMTP", envelope.Client.Protocol);
    }

    [Fact]
    public async Task Utf8_addresses_need_smtputf8_and_parameters_need_ehlo()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<ünï@example.org>\r\n", "553 5.6.7");
        await dialog.SendAndExpectAsync("HELO c\r\n", "250 mx.test");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> SIZE=100\r\n", "555 5.5.4");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> FROB=1\r\n", "555 5.5.4");
    }

    [Fact]
    public async Task Shutdown_lets_a_message_in_transfer_finish_then_closes_with_421()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.StartDataAsync();
        await dialog.SendAsync("part one\r\n");
        dialog.RequestShutdown();
        await dialog.SendAsync("part two\r\n.\r\n");
        await dialog.ExpectAsync("250 2.0.0 Ok: queued");
        await dialog.ExpectAsync("421 4.3.2");
        Assert.True(await dialog.ServerClosedAsync());
        Assert.Single(dialog.Queue.Committed);
    }

    [Fact]
    public async Task Shutdown_closes_an_idle_session_with_421()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        dialog.RequestShutdown();
        await dialog.ExpectAsync("421 4.3.2");
        Assert.True(await dialog.ServerClosedAsync());
    }

    [Fact]
    public async Task Address_syntax_errors_get_501_with_the_address_status()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:a@example.org\r\n", "501 5.1.7");
        await dialog.SendAndExpectAsync("MAIL FROM:<a b@example.org>\r\n", "501 5.1.7");
        await dialog.SendAndExpectAsync("MAIL FROM:<\"a b\"@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<>\r\n", "501 5.1.3");
        await dialog.SendAndExpectAsync("RCPT TO:<user@[999.1.1.1]>\r\n", "501 5.1.3");
        await dialog.SendAndExpectAsync("RCPT TO:<user@-bad-.example>\r\n", "501 5.1.3");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
    }

    [Fact]
    public async Task Data_timeout_counts_from_the_last_bytes_received_and_discards_the_message()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.StartDataAsync();
        await dialog.SendAsync("Subject: slow\r\n\r\n");
        await WaitForSessionToReadAsync(dialog);
        dialog.Clock.Advance(TimeSpan.FromMinutes(2));
        await dialog.SendAsync("still coming\r\n");
        await WaitForSessionToReadAsync(dialog);
        dialog.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(dialog.SessionTask.IsCompleted, "the data timeout must restart with every chunk");
        dialog.Clock.Advance(TimeSpan.FromMinutes(2));
        await dialog.ExpectAsync("421 4.4.2");
        Assert.True(await dialog.ServerClosedAsync());
        Assert.Empty(dialog.Queue.Committed);
        Assert.Equal(1, dialog.Queue.Aborted);
    }

    /// <summary>The in-memory pipe gives no signal when the session has read; a short real pause stands in.</summary>
    private static Task WaitForSessionToReadAsync(DialogHarness dialog) =>
        Task.Delay(TimeSpan.FromMilliseconds(200));
}
