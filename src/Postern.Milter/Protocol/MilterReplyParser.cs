using System.Buffers.Binary;
using System.Text;

namespace Postern.Milter.Protocol;

/// <summary>
/// Decodes a milter's frame into a <see cref="MilterReply"/>, strictly: an unknown code, data
/// after a reply that has none, a string without its NUL, or a reply code that is not a 4xx or
/// 5xx SMTP reply is a <see cref="MilterProtocolException"/> (the session then applies the
/// milter's default action), as in Postfix's milter8.c.
/// </summary>
internal static class MilterReplyParser
{
    public static MilterReply Parse(MilterFrame frame)
    {
        var data = frame.Data.Span;
        var code = (MilterReplyCode)frame.Code;
        switch (code)
        {
            case MilterReplyCode.Accept or MilterReplyCode.Continue or MilterReplyCode.Discard or MilterReplyCode.Progress
                or MilterReplyCode.Reject or MilterReplyCode.Skip or MilterReplyCode.TempFail or MilterReplyCode.Shutdown
                or MilterReplyCode.ConnectionFailure:
                if (!data.IsEmpty)
                {
                    throw new MilterProtocolException($"reply '{(char)frame.Code}' followed by {data.Length} data bytes");
                }
                return new MilterReply(code);
            case MilterReplyCode.ReplyCode:
                return new MilterReply(code) { Text = CheckedReplyText(LastString(ref data, code)) };
            case MilterReplyCode.Quarantine:
                return new MilterReply(code) { Text = LastString(ref data, code) };
            case MilterReplyCode.AddHeader:
                return new MilterReply(code) { Name = HeaderName(ref data, code), Value = LastString(ref data, code) };
            case MilterReplyCode.InsertHeader or MilterReplyCode.ChangeHeader:
                var index = UInt32(ref data, code);
                return new MilterReply(code) { Index = index, Name = HeaderName(ref data, code), Value = LastString(ref data, code) };
            case MilterReplyCode.ReplaceBody:
                return new MilterReply(code) { Body = frame.Data };
            case MilterReplyCode.AddRecipient or MilterReplyCode.DeleteRecipient:
                return new MilterReply(code) { Address = LastString(ref data, code) };
            case MilterReplyCode.AddRecipientWithParameters or MilterReplyCode.ChangeSender:
                var address = String(ref data, code);
                return new MilterReply(code) { Address = address, Parameters = data.IsEmpty ? "" : LastString(ref data, code) };
            case MilterReplyCode.SetSymbolList:
                var stage = UInt32(ref data, code);
                return new MilterReply(code) { SymbolStage = stage, Text = LastString(ref data, code) };
            case MilterReplyCode.OptionNegotiation:
                return new MilterReply(code) { Negotiation = Negotiation(data) };
            default:
                throw new MilterProtocolException($"unknown reply code 0x{frame.Code:x2}");
        }
    }

    private static MilterNegotiationReply Negotiation(ReadOnlySpan<byte> data)
    {
        const MilterReplyCode code = MilterReplyCode.OptionNegotiation;
        var version = UInt32(ref data, code);
        var actions = (MilterActions)UInt32(ref data, code);
        var protocol = (MilterProtocolFlags)UInt32(ref data, code);
        var lists = new Dictionary<uint, string>();
        while (!data.IsEmpty)
        {
            var stage = UInt32(ref data, code);
            lists[stage] = String(ref data, code);
        }
        return new MilterNegotiationReply(version, actions, protocol, lists);
    }

    /// <summary>
    /// An SMFIR_REPLYCODE text: each line <c>ddd</c> then a space (last line) or a hyphen, the
    /// code a 4xx or 5xx and the same on every line, lines separated by CRLF.
    /// </summary>
    private static string CheckedReplyText(string text)
    {
        var lines = text.Split("\r\n");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var last = i == lines.Length - 1;
            if (line.Length < 3 || line[0] is not ('4' or '5') || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                || !string.Equals(line[..3], lines[0][..3], StringComparison.Ordinal)
                || (line.Length > 3 && line[3] != (last ? ' ' : '-')) || (!last && line.Length == 3))
            {
                throw new MilterProtocolException("a malformed reply code: " + Printable(text));
            }
            foreach (var c in line)
            {
                if (char.IsControl(c))
                {
                    throw new MilterProtocolException("a reply code with a control character: " + Printable(text));
                }
            }
        }
        return text;
    }

    private static string HeaderName(ref ReadOnlySpan<byte> data, MilterReplyCode code)
    {
        var name = String(ref data, code);
        if (name.Length == 0 || name.Any(c => c is <= ' ' or ':' or '\x7F'))
        {
            throw new MilterProtocolException($"reply '{(char)code}' with a bad header name '{Printable(name)}'");
        }
        return name;
    }

    private static uint UInt32(ref ReadOnlySpan<byte> data, MilterReplyCode code)
    {
        if (data.Length < 4)
        {
            throw new MilterProtocolException($"reply '{(char)code}' too short for its number");
        }
        var value = BinaryPrimitives.ReadUInt32BigEndian(data);
        data = data[4..];
        return value;
    }

    /// <summary>A NUL-terminated string; the rest of the data follows it.</summary>
    private static string String(ref ReadOnlySpan<byte> data, MilterReplyCode code)
    {
        var nul = data.IndexOf((byte)0);
        if (nul < 0)
        {
            throw new MilterProtocolException($"reply '{(char)code}' with a string missing its NUL");
        }
        var text = Encoding.UTF8.GetString(data[..nul]);
        data = data[(nul + 1)..];
        return text;
    }

    /// <summary>The last string of a reply: nothing may follow its NUL.</summary>
    private static string LastString(ref ReadOnlySpan<byte> data, MilterReplyCode code)
    {
        var text = String(ref data, code);
        if (!data.IsEmpty)
        {
            throw new MilterProtocolException($"reply '{(char)code}' with {data.Length} bytes after its last string");
        }
        return text;
    }

    private static string Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 200)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        return builder.ToString();
    }
}
