using System.Text;

namespace Postern.Core.Stages;

/// <summary>
/// The header section of a message, split into fields: what the header stage receives and what
/// the end-of-data draft edits. The block ends at the empty line (which belongs to it) or at the
/// first line that is neither a field nor a continuation (which begins the body).
/// </summary>
public static class HeaderBlock
{
    /// <summary>
    /// The length of the header block at the start of <paramref name="message"/>, empty line
    /// included, or -1 when <paramref name="message"/> ends before the block does.
    /// </summary>
    public static int Measure(ReadOnlySpan<byte> message)
    {
        var start = 0;
        while (start < message.Length)
        {
            var newline = message[start..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }
            var line = message.Slice(start, newline + 1);
            if (line.Length <= 2 && (line.Length == 1 || line[0] == (byte)'\r'))
            {
                return start + line.Length;
            }
            if (start > 0 && line[0] is (byte)' ' or (byte)'\t')
            {
                start += line.Length;
                continue;
            }
            if (!IsField(line))
            {
                return start;
            }
            start += line.Length;
        }
        return -1;
    }

    /// <summary>The fields of a header block (as measured); the empty line, if any, is not a field.</summary>
    public static List<HeaderField> Parse(ReadOnlyMemory<byte> block)
    {
        var fields = new List<HeaderField>();
        var span = block.Span;
        var start = 0;
        while (start < span.Length)
        {
            var end = LineEnd(span, start);
            if (end - start <= 2 && (end - start == 1 || span[start] == (byte)'\r'))
            {
                break;
            }
            while (end < span.Length && span[end] is (byte)' ' or (byte)'\t')
            {
                end = LineEnd(span, end);
            }
            var raw = block[start..end];
            var text = Encoding.UTF8.GetString(raw.Span).TrimEnd('\r', '\n');
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            fields.Add(new HeaderField(colon < 0 ? text : text[..colon], colon < 0 ? "" : text[(colon + 1)..].TrimStart(' ', '\t')) { Raw = raw });
            start = end;
        }
        return fields;
    }

    private static int LineEnd(ReadOnlySpan<byte> span, int start)
    {
        var newline = span[start..].IndexOf((byte)'\n');
        return newline < 0 ? span.Length : start + newline + 1;
    }

    /// <summary>RFC 5322 section 2.2: a name of printable characters other than the colon, then a colon.</summary>
    private static bool IsField(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }
        foreach (var b in line[..colon])
        {
            if (b is < 33 or > 126)
            {
                return false;
            }
        }
        return true;
    }
}
