using Postern.Config;

namespace Postern.Tools.Sendmail;

/// <summary>Reads the header section from stdin, bounded, as sendmail's collect() does.</summary>
internal static class HeaderSectionReader
{
    /// <exception cref="SubmissionException">The header section is larger than <see cref="HeaderSection.MaxBytes"/>.</exception>
    public static async Task<HeaderSection> ReadAsync(InputLineReader reader, bool ignoreDots, CancellationToken cancellationToken)
    {
        var section = new HeaderSection();
        var total = 0;
        var first = true;
        List<byte[]>? current = null;
        string? currentName = null;
        while (true)
        {
            var next = await reader.ReadAsync(cancellationToken);
            if (next is not { } line || (!ignoreDots && IsLoneDot(line)))
            {
                Close(section, currentName, current);
                section.InputEnded = true;
                return section;
            }
            var bytes = line.Bytes.Span;
            if (first && bytes.StartsWith("From "u8))
            {
                // An mbox "From " line from a mail program: not a header, and never part of the message.
                first = false;
                continue;
            }
            first = false;
            total += bytes.Length + 2;
            if (total > HeaderSection.MaxBytes || !line.Complete)
            {
                throw new SubmissionException(ExitCodes.DataError, $"the header section is larger than {HeaderSection.MaxBytes / 1024} KB");
            }
            if (bytes.IsEmpty)
            {
                Close(section, currentName, current);
                return section;
            }
            if (bytes[0] is (byte)' ' or (byte)'\t' && current is not null)
            {
                current.Add(line.Bytes.ToArray());
                continue;
            }
            if (FieldName(bytes) is not { } name)
            {
                // Not a header field: the header section is over and this line starts the body.
                Close(section, currentName, current);
                section.FirstBodyLine = line;
                return section;
            }
            Close(section, currentName, current);
            currentName = name;
            current = [line.Bytes.ToArray()];
        }
    }

    /// <summary>A line holding only "." (the sendmail end of input unless -i).</summary>
    public static bool IsLoneDot(InputLine line) => line.Complete && line.StartsLine && line.Bytes.Span.SequenceEqual("."u8);

    private static void Close(HeaderSection section, string? name, List<byte[]>? lines)
    {
        if (name is not null && lines is not null)
        {
            section.Fields.Add(new HeaderField(name, lines));
        }
    }

    // field-name = 1*ftext (printable ASCII but ':'), then ':' (RFC 5322 3.6.8; obsolete WSP before ':' allowed).
    private static string? FieldName(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length && line[i] is > 32 and < 127 and not (byte)':')
        {
            i++;
        }
        var end = i;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }
        return end > 0 && i < line.Length && line[i] == ':' ? System.Text.Encoding.ASCII.GetString(line[..end]) : null;
    }
}
