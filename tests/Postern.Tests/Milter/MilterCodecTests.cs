using System.Text;
using Postern.Milter.Protocol;

namespace Postern.Tests.Milter;

/// <summary>The milter wire format: every command as Postern encodes it, every reply as a milter sends it, read in any pieces.</summary>
public sealed class MilterCodecTests
{
    private static readonly KeyValuePair<string, string>[] SomeMacros = [new("j", "mx.example.org"), new("{daemon_name}", "mta")];

    /// <summary>Every command, and what its frame must hold: code and data bytes.</summary>
    public static TheoryData<string, byte[], char, byte[]> Commands() => new()
    {
        { "optneg", MilterCommandWriter.OptionNegotiation(6, MilterActions.All, MilterProtocolFlags.All), 'O', [0, 0, 0, 6, 0, 0, 1, 0xFF, 0, 0x1F, 0xFF, 0xFF] },
        { "macro", MilterCommandWriter.Macro(MilterCommandCode.Connect, SomeMacros), 'D', [(byte)'C', .. Bytes("j\0mx.example.org\0{daemon_name}\0mta\0")] },
        { "connect4", MilterCommandWriter.Connect("[192.0.2.7]", '4', 40000, "192.0.2.7"), 'C', [.. Bytes("[192.0.2.7]\0"), (byte)'4', 0x9C, 0x40, .. Bytes("192.0.2.7\0")] },
        { "connect6", MilterCommandWriter.Connect("[2001:db8::7]", '6', 25, "2001:db8::7"), 'C', [.. Bytes("[2001:db8::7]\0"), (byte)'6', 0, 25, .. Bytes("2001:db8::7\0")] },
        { "connectU", MilterCommandWriter.Connect("localhost", 'U', 0, ""), 'C', [.. Bytes("localhost\0"), (byte)'U'] },
        { "helo", MilterCommandWriter.Helo("client.example.org"), 'H', Bytes("client.example.org\0") },
        { "mail", MilterCommandWriter.Mail(["<a@example.org>", "SIZE=10", "BODY=8BITMIME"]), 'M', Bytes("<a@example.org>\0SIZE=10\0BODY=8BITMIME\0") },
        { "rcpt", MilterCommandWriter.Recipient(["<b@example.org>", "NOTIFY=NEVER"]), 'R', Bytes("<b@example.org>\0NOTIFY=NEVER\0") },
        { "data", MilterCommandWriter.Bare(MilterCommandCode.Data), 'T', [] },
        { "header", MilterCommandWriter.Header("Subject"u8, "hello\n\tthere"u8), 'L', Bytes("Subject\0hello\n\tthere\0") },
        { "header with a nul", MilterCommandWriter.Header("X-A"u8, "a\0b"u8), 'L', Bytes("X-A\0a b\0") },
        { "eoh", MilterCommandWriter.Bare(MilterCommandCode.EndOfHeaders), 'N', [] },
        { "body", MilterCommandWriter.Body("line\r\n\0binary\r\n"u8), 'B', Bytes("line\r\n\0binary\r\n") },
        { "eob", MilterCommandWriter.Bare(MilterCommandCode.EndOfBody), 'E', [] },
        { "abort", MilterCommandWriter.Bare(MilterCommandCode.Abort), 'A', [] },
        { "quit", MilterCommandWriter.Bare(MilterCommandCode.Quit), 'Q', [] },
        { "quit_nc", MilterCommandWriter.Bare(MilterCommandCode.QuitNewConnection), 'K', [] },
        { "unknown", MilterCommandWriter.Unknown("XFOO bar"), 'U', Bytes("XFOO bar\0") },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Each_command_is_one_frame_with_its_length_code_and_data(string name, byte[] frame, char code, byte[] data)
    {
        var parsed = Assert.Single(MilterWire.Frames(frame));

        Assert.Equal((byte)code, parsed.Code);
        Assert.True(data.AsSpan().SequenceEqual(parsed.Data.Span), name + ": " + Convert.ToHexString(parsed.Data.Span));
        Assert.Equal(data.Length + 1, (frame[0] << 24) | (frame[1] << 16) | (frame[2] << 8) | frame[3]);
    }

    [Fact]
    public async Task Every_command_reads_back_whole_split_at_every_byte()
    {
        var commands = Commands().Select(row => (byte[])row[1]).ToList();
        byte[] stream = [.. commands.SelectMany(c => c)];
        for (var split = 0; split <= stream.Length; split++)
        {
            var reader = new MilterFrameReader(new SplitReadStream(stream, split));
            foreach (var command in commands)
            {
                var frame = await reader.ReadAsync(CancellationToken.None);
                Assert.Equal(command[4], frame.Code);
                Assert.True(command.AsSpan(5).SequenceEqual(frame.Data.Span), "split at " + split);
            }
        }
    }

    [Fact]
    public void A_body_chunk_is_at_most_65535_bytes()
    {
        Assert.Single(MilterWire.Frames(MilterCommandWriter.Body(new byte[65535])));
        Assert.Throws<ArgumentException>(() => MilterCommandWriter.Body(new byte[65536]));
    }

    /// <summary>Every reply a milter can send, and what the parser must make of it.</summary>
    public static TheoryData<string> ReplyNames() => [.. ReplyCases().Keys];

    private static Dictionary<string, (byte[] Frame, MilterReply Expected)> ReplyCases() => new()
    {
        ["continue"] = (MilterWire.Reply('c'), new MilterReply(MilterReplyCode.Continue)),
        ["accept"] = (MilterWire.Reply('a'), new MilterReply(MilterReplyCode.Accept)),
        ["reject"] = (MilterWire.Reply('r'), new MilterReply(MilterReplyCode.Reject)),
        ["tempfail"] = (MilterWire.Reply('t'), new MilterReply(MilterReplyCode.TempFail)),
        ["discard"] = (MilterWire.Reply('d'), new MilterReply(MilterReplyCode.Discard)),
        ["skip"] = (MilterWire.Reply('s'), new MilterReply(MilterReplyCode.Skip)),
        ["progress"] = (MilterWire.Reply('p'), new MilterReply(MilterReplyCode.Progress)),
        ["shutdown"] = (MilterWire.Reply('4'), new MilterReply(MilterReplyCode.Shutdown)),
        ["connfail"] = (MilterWire.Reply('f'), new MilterReply(MilterReplyCode.ConnectionFailure)),
        ["replycode"] = (MilterWire.Reply('y', "554 5.7.1 Spam"), new MilterReply(MilterReplyCode.ReplyCode) { Text = "554 5.7.1 Spam" }),
        ["replycode multi-line"] = (MilterWire.Reply('y', "451-4.7.1 Greylisted\r\n451 4.7.1 Come back later"), new MilterReply(MilterReplyCode.ReplyCode) { Text = "451-4.7.1 Greylisted\r\n451 4.7.1 Come back later" }),
        ["quarantine"] = (MilterWire.Reply('q', "looks like spam"), new MilterReply(MilterReplyCode.Quarantine) { Text = "looks like spam" }),
        ["addheader"] = (MilterWire.Reply('h', "X-Spam", "yes\n\tscore=9"), new MilterReply(MilterReplyCode.AddHeader) { Name = "X-Spam", Value = "yes\n\tscore=9" }),
        ["insheader"] = (MilterWire.Indexed('i', 0, "DKIM-Signature", "v=1; a=rsa-sha256"), new MilterReply(MilterReplyCode.InsertHeader) { Name = "DKIM-Signature", Value = "v=1; a=rsa-sha256" }),
        ["chgheader"] = (MilterWire.Indexed('m', 2, "Subject", "[SPAM] hi"), new MilterReply(MilterReplyCode.ChangeHeader) { Index = 2, Name = "Subject", Value = "[SPAM] hi" }),
        ["chgheader delete"] = (MilterWire.Indexed('m', 1, "X-Old", ""), new MilterReply(MilterReplyCode.ChangeHeader) { Index = 1, Name = "X-Old", Value = "" }),
        ["addrcpt"] = (MilterWire.Reply('+', "<c@example.org>"), new MilterReply(MilterReplyCode.AddRecipient) { Address = "<c@example.org>" }),
        ["addrcpt_par"] = (MilterWire.Reply('2', "<c@example.org>", "NOTIFY=NEVER"), new MilterReply(MilterReplyCode.AddRecipientWithParameters) { Address = "<c@example.org>", Parameters = "NOTIFY=NEVER" }),
        ["delrcpt"] = (MilterWire.Reply('-', "<b@example.org>"), new MilterReply(MilterReplyCode.DeleteRecipient) { Address = "<b@example.org>" }),
        ["chgfrom"] = (MilterWire.Reply('e', "<new@example.org>"), new MilterReply(MilterReplyCode.ChangeSender) { Address = "<new@example.org>" }),
        ["chgfrom with args"] = (MilterWire.Reply('e', "<>", "RET=HDRS"), new MilterReply(MilterReplyCode.ChangeSender) { Address = "<>", Parameters = "RET=HDRS" }),
        ["setsymlist"] = (MilterWire.Indexed('l', 2, "{auth_authen} i"), new MilterReply(MilterReplyCode.SetSymbolList) { SymbolStage = 2, Text = "{auth_authen} i" }),
    };

    [Theory]
    [MemberData(nameof(ReplyNames))]
    public void Each_reply_decodes_to_its_fields(string name)
    {
        var (frame, expected) = ReplyCases()[name];
        var reply = MilterReplyParser.Parse(Assert.Single(MilterWire.Frames(frame)));

        Assert.Equal(expected with { Body = default }, reply with { Body = default });
        Assert.True(reply.Body.IsEmpty, name);
    }

    [Fact]
    public void A_body_replacement_chunk_is_its_bytes_as_sent()
    {
        var reply = MilterReplyParser.Parse(Assert.Single(MilterWire.Frames(MilterWire.Frame('b', [.. "new body\r\n\0\xFF"u8]))));

        Assert.Equal(MilterReplyCode.ReplaceBody, reply.Code);
        Assert.Equal("new body\r\n\0\xFF"u8.ToArray(), reply.Body.ToArray());
    }

    [Fact]
    public async Task Every_reply_reads_back_whole_split_at_every_byte_and_byte_by_byte()
    {
        var replies = ReplyCases().Values.ToList();
        byte[] stream = [.. replies.SelectMany(r => r.Item1), .. MilterWire.Negotiate(6, MilterActions.AddHeaders, MilterProtocolFlags.NoHelo, (1, "{tls_version}"))];
        for (var split = -1; split <= stream.Length; split++)
        {
            var reader = new MilterFrameReader(new SplitReadStream(stream, split, byteByByte: split < 0));
            foreach (var (_, expected) in replies)
            {
                var reply = MilterReplyParser.Parse(await reader.ReadAsync(CancellationToken.None));
                Assert.Equal(expected, reply with { Body = default });
            }
            var negotiation = MilterReplyParser.Parse(await reader.ReadAsync(CancellationToken.None)).Negotiation!;
            Assert.Equal((6u, MilterActions.AddHeaders, MilterProtocolFlags.NoHelo), (negotiation.Version, negotiation.Actions, negotiation.Protocol));
            Assert.Equal("{tls_version}", negotiation.MacroLists[1]);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "length 0")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, (byte)'c' }, "over")]
    [InlineData(new byte[] { 0x80, 0, 0, 1, (byte)'c' }, "over")]
    [InlineData(new byte[] { 0, 0x10, 0, 2, (byte)'b' }, "over")]
    public async Task The_reader_refuses_a_length_of_zero_or_over_the_limit_before_reading_on(byte[] bytes, string message)
    {
        var reader = new MilterFrameReader(new SplitReadStream(bytes));

        var e = await Assert.ThrowsAsync<MilterProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Throws<MilterProtocolException>(() => MilterFrameReader.TryParse(bytes, out _, out _));
    }

    [Fact]
    public async Task The_largest_legal_frame_is_read_and_one_more_byte_is_refused()
    {
        var largest = MilterWire.Frame('b', new byte[MilterFrameReader.MaxFrameLength - 1]);
        var frame = await new MilterFrameReader(new SplitReadStream(largest)).ReadAsync(CancellationToken.None);
        Assert.Equal(MilterFrameReader.MaxFrameLength - 1, frame.Data.Length);

        var tooLarge = MilterWire.Frame('b', new byte[MilterFrameReader.MaxFrameLength]);
        await Assert.ThrowsAsync<MilterProtocolException>(async () => await new MilterFrameReader(new SplitReadStream(tooLarge)).ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_connection_closed_inside_a_frame_is_an_end_of_stream()
    {
        var cut = MilterWire.Reply('y', "550 5.7.1 no")[..8];

        await Assert.ThrowsAsync<EndOfStreamException>(async () => await new MilterFrameReader(new SplitReadStream(cut)).ReadAsync(CancellationToken.None));
        Assert.False(MilterFrameReader.TryParse(cut, out _, out var consumed));
        Assert.Equal(0, consumed);
    }

    public static TheoryData<byte[], string> BadReplies() => new()
    {
        { MilterWire.Reply('Z'), "unknown reply code 0x5a" },
        { MilterWire.Reply('B'), "unknown reply code 0x42" },
        { MilterWire.Frame('c', [1]), "followed by 1 data bytes" },
        { MilterWire.Frame('r', Bytes("x\0")), "followed by 2 data bytes" },
        { MilterWire.Frame('y', Bytes("550 5.7.1 no nul")), "missing its NUL" },
        { MilterWire.Reply('y', "250 2.0.0 ok"), "malformed reply code" },
        { MilterWire.Reply('y', "55"), "malformed reply code" },
        { MilterWire.Reply('y', "550x"), "malformed reply code" },
        { MilterWire.Reply('y', "550-a\r\n451 b"), "malformed reply code" },
        { MilterWire.Reply('y', "550 a\r\n550 b"), "malformed reply code" },
        { MilterWire.Reply('y', "550 a\nb"), "control character" },
        { MilterWire.Reply('h', "", "v"), "bad header name" },
        { MilterWire.Reply('h', "Bad Name", "v"), "bad header name" },
        { MilterWire.Reply('h', "X-A:", "v"), "bad header name" },
        { MilterWire.Reply('h', "X-A", "v", "extra"), "after its last string" },
        { MilterWire.Frame('i', [0, 0]), "too short" },
        { MilterWire.Frame('O', [0, 0, 0, 6, 0, 0, 0, 1]), "too short" },
        { MilterWire.Frame('O', [.. MilterWire.UInt32(6), .. MilterWire.UInt32(1), .. MilterWire.UInt32(0), .. MilterWire.UInt32(0), .. Bytes("i")]), "missing its NUL" },
    };

    [Theory]
    [MemberData(nameof(BadReplies))]
    public void A_malformed_or_unknown_reply_is_a_protocol_error(byte[] frame, string message)
    {
        var e = Assert.Throws<MilterProtocolException>(() => MilterReplyParser.Parse(Assert.Single(MilterWire.Frames(frame))));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
