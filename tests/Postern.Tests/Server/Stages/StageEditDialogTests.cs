using System.Text;
using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Smtp;

namespace Postern.Tests.Server.Stages;

/// <summary>What the session does with the handlers' end-of-data edits and content decisions: it applies them when it commits.</summary>
public sealed class StageEditDialogTests
{
    private const string Message = "Subject: hello\r\nMessage-ID: <m1@example.org>\r\nX-Old: 1\r\n\r\nthe body\r\n";

    private static async Task<DialogHarness> ConnectAsync(params TestHandler[] handlers) =>
        await DialogHarness.ConnectAsync(configure: services => services with { Handlers = handlers });

    /// <summary>One transaction with two recipients; returns the reply to the end of data.</summary>
    private static async Task<string> SendAsync(DialogHarness dialog, string message = Message)
    {
        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("RCPT TO:<alice@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAsync(message + ".\r\n");
        return await dialog.ReadReplyAsync();
    }

    private static (string Headers, string Body) Split(byte[] committed)
    {
        var text = Encoding.UTF8.GetString(committed);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (text[..(end + 2)], text[(end + 4)..]);
    }

    [Fact]
    public async Task Header_edits_from_two_handlers_apply_in_order_each_seeing_the_previous()
    {
        IReadOnlyList<string>? secondSaw = null;
        var first = new TestHandler("first")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                draft.AddHeader("X-First", "added");
                draft.ChangeHeader("Subject", 1, "[tagged] hello");
                return PolicyDecision.Accept("first");
            },
        };
        var second = new TestHandler("second")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                secondSaw = [.. draft.Headers.Select(h => h.Name + ": " + h.Value)];
                draft.DeleteHeader("x-old", 1);
                draft.InsertHeader(0, "X-Second", "top");
                return PolicyDecision.Accept("second");
            },
        };
        await using var dialog = await ConnectAsync(first, second);

        Assert.StartsWith("250 2.0.0 Ok: queued as ", await SendAsync(dialog), StringComparison.Ordinal);

        Assert.Equal(["Subject: [tagged] hello", "Message-ID: <m1@example.org>", "X-Old: 1", "X-First: added"], secondSaw);
        var (envelope, bytes) = Assert.Single(dialog.Queue.Committed);
        var (headers, body) = Split(bytes);
        Assert.StartsWith("Received: from client.test", headers, StringComparison.Ordinal);
        var fields = headers[headers.IndexOf("\r\nX-Second", StringComparison.Ordinal)..];
        Assert.Equal("\r\nX-Second: top\r\nSubject: [tagged] hello\r\nMessage-ID: <m1@example.org>\r\nX-First: added\r\n", fields);
        Assert.Equal("the body\r\n", body);
        Assert.Equal(2, envelope.Recipients.Count);
    }

    [Fact]
    public async Task A_replaced_body_is_streamed_into_the_spool_in_chunks()
    {
        const long Size = 8L * 1024 * 1024;
        ChunkedSourceStream? source = null;
        var replacer = new TestHandler("replacer")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                draft.ReplaceBody(() => source = new ChunkedSourceStream(Size));
                return PolicyDecision.Accept("replaced");
            },
        };
        await using var dialog = await ConnectAsync(replacer);

        Assert.StartsWith("250 2.0.0", await SendAsync(dialog), StringComparison.Ordinal);

        var (_, bytes) = Assert.Single(dialog.Queue.Committed);
        var text = Encoding.UTF8.GetString(bytes);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.Equal(Size, bytes.Length - bodyStart);
        Assert.Equal(ChunkedSourceStream.ByteAt(0), bytes[bodyStart]);
        Assert.Equal(ChunkedSourceStream.ByteAt(Size - 1), bytes[^1]);
        Assert.NotNull(source);
        Assert.True(source.Disposed);
        Assert.True(source.LargestRead <= 64 * 1024, "read " + source.LargestRead + " bytes at once");
        Assert.True(source.Reads >= Size / (64 * 1024));
        Assert.Contains("Subject: hello\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_later_handler_reads_the_body_as_the_earlier_one_replaced_it()
    {
        string? seen = null;
        var first = new TestHandler("first")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                draft.ReplaceBody(() => new MemoryStream("replaced\r\n"u8.ToArray()));
                return PolicyDecision.Accept("first");
            },
        };
        var second = new TestHandler("second")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                using var reader = new StreamReader(draft.OpenBody());
                seen = reader.ReadToEnd();
                return PolicyDecision.Accept("second");
            },
        };
        await using var dialog = await ConnectAsync(first, second);

        await SendAsync(dialog);

        Assert.Equal("replaced\r\n", seen);
        Assert.Equal("replaced\r\n", Split(Assert.Single(dialog.Queue.Committed).Bytes).Body);
    }

    [Fact]
    public async Task The_original_body_is_kept_when_only_the_envelope_changes()
    {
        var editor = new TestHandler("editor")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                draft.ChangeSender(new Mailbox("bounces", "example.org"));
                draft.AddRecipient(new Mailbox("postmaster", "localhost"));
                Assert.True(draft.RemoveRecipient(new Mailbox("ALICE", "localhost")));
                Assert.False(draft.RemoveRecipient(new Mailbox("nobody", "localhost")));
                return PolicyDecision.Accept("edited");
            },
        };
        await using var dialog = await ConnectAsync(editor);

        await SendAsync(dialog);

        var (envelope, bytes) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal("bounces@example.org", envelope.Sender!.ToString());
        Assert.Equal(["user@localhost", "postmaster@localhost"], envelope.Recipients.Select(r => r.Address.ToString()));
        var (headers, body) = Split(bytes);
        Assert.EndsWith("Subject: hello\r\nMessage-ID: <m1@example.org>\r\nX-Old: 1\r\n", headers, StringComparison.Ordinal);
        Assert.Equal("the body\r\n", body);
    }

    [Fact]
    public async Task Without_edits_a_held_message_is_spooled_as_received()
    {
        await using var dialog = await ConnectAsync(new TestHandler("idle") { EditsMessage = true });

        var reply = await SendAsync(dialog);

        var (_, bytes) = Assert.Single(dialog.Queue.Committed);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("Received: from client.test", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n" + Message, text, StringComparison.Ordinal);
        // The reply names the spool's id, which the Received header carries too.
        Assert.Contains(" id " + reply[^16..], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_handlers_see_the_header_block_then_the_body_and_their_refusal_answers_the_end_of_data()
    {
        var headers = "";
        var body = new StringBuilder();
        var reader = new TestHandler("reader")
        {
            WantsContent = true,
            Headers = block =>
            {
                headers = Encoding.UTF8.GetString(block.Span);
                return PolicyDecision.Accept("headers ok");
            },
            Body = chunk =>
            {
                body.Append(Encoding.UTF8.GetString(chunk.Span));
                return PolicyDecision.Reject(new SmtpReply(554, "5.7.1", "Spam detected"), "spam");
            },
        };
        var after = new TestHandler("after");
        await using var dialog = await ConnectAsync(reader, after);

        Assert.Equal("554 5.7.1 Spam detected", await SendAsync(dialog));

        Assert.Equal("Subject: hello\r\nMessage-ID: <m1@example.org>\r\nX-Old: 1\r\n\r\n", headers);
        Assert.Equal("the body\r\n", body.ToString());
        Assert.DoesNotContain("eod", after.Asked);
        Assert.Empty(dialog.Queue.Committed);
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.org>\r\n", "250 2.1.0");
    }

    [Fact]
    public async Task A_discard_from_the_body_stage_drops_the_message_and_answers_250()
    {
        var dropper = new TestHandler("dropper") { WantsContent = true, Body = _ => PolicyDecision.Discard("virus") };
        await using var dialog = await ConnectAsync(dropper);

        Assert.StartsWith("250 2.0.0 Ok: queued as ", await SendAsync(dialog), StringComparison.Ordinal);

        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task A_quarantine_at_end_of_data_holds_the_message_even_after_an_earlier_handlers_edit()
    {
        var tagger = new TestHandler("tagger")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                draft.AddHeader("X-Tag", "1");
                return PolicyDecision.Accept("tagged");
            },
        };
        var holder = new TestHandler("holder") { EndOfData = _ => PolicyDecision.Quarantine("suspicious") };
        await using var dialog = await ConnectAsync(tagger, holder);

        Assert.StartsWith("250 2.0.0", await SendAsync(dialog), StringComparison.Ordinal);

        var (envelope, bytes) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal("suspicious", envelope.QuarantineReason);
        Assert.Contains("X-Tag: 1\r\n\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tempfail_at_end_of_data_after_an_accept_is_the_reply_and_nothing_is_queued()
    {
        var reply = new SmtpReply(451, "4.7.1", "Try again later");
        await using var dialog = await ConnectAsync(
            new TestHandler("first"), new TestHandler("second") { EndOfData = _ => PolicyDecision.TempFail(reply, "busy") });

        Assert.Equal("451 4.7.1 Try again later", await SendAsync(dialog));

        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task A_refusal_from_a_second_handler_at_rcpt_is_the_reply()
    {
        var picky = new TestHandler("picky") { Recipient = PolicyDecision.Reject(new SmtpReply(550, "5.1.1", "No such user here"), "picky") };
        await using var dialog = await ConnectAsync(picky);

        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "550 5.1.1 No such user here");
    }

    [Fact]
    public async Task Edits_arrive_through_bdat_as_through_data()
    {
        var tagger = new TestHandler("tagger")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                draft.AddHeader("X-Tag", "bdat");
                return PolicyDecision.Accept("tagged");
            },
        };
        await using var dialog = await ConnectAsync(tagger);
        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        var bytes = Encoding.ASCII.GetBytes(Message);

        await dialog.SendAndExpectAsync("BDAT 10\r\n" + Message[..10], "250 2.0.0 10 octets received");
        await dialog.SendAndExpectAsync("BDAT " + (bytes.Length - 10) + " LAST\r\n" + Message[10..], "250 2.0.0 Ok: queued as ");

        var text = Encoding.UTF8.GetString(Assert.Single(dialog.Queue.Committed).Bytes);
        Assert.EndsWith("X-Old: 1\r\nX-Tag: bdat\r\n\r\nthe body\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_reads_the_whole_received_body_at_end_of_data()
    {
        string? seen = null;
        var reader = new TestHandler("reader")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                using var body = new StreamReader(draft.OpenBody());
                seen = body.ReadToEnd();
                return PolicyDecision.Accept("read");
            },
        };
        await using var dialog = await ConnectAsync(reader);

        Assert.StartsWith("250 2.0.0", await SendAsync(dialog), StringComparison.Ordinal);
        Assert.Equal("the body\r\n", seen);
    }
}
