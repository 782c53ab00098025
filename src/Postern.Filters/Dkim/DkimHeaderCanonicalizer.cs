using System.Buffers;

namespace Postern.Filters.Dkim;

/// <summary>
/// Header canonicalization (RFC 6376 section 3.4.1 and 3.4.2), on the field's bytes as they go
/// into the spool: simple keeps them; relaxed lower-cases the name, unfolds, turns whitespace
/// runs into one space and drops whitespace at the ends of the value and around the colon.
/// </summary>
internal static class DkimHeaderCanonicalizer
{
    /// <summary>Appends the canonical form of a whole field (<paramref name="field"/> ends with its CRLF).</summary>
    public static void AppendField(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> field, DkimCanonicalization canonicalization)
    {
        if (canonicalization == DkimCanonicalization.Simple)
        {
            output.Write(field);
            return;
        }
        AppendRelaxed(output, field);
        output.Write("\r\n"u8);
    }

    /// <summary>
    /// Appends the DKIM-Signature field being made, with an empty b= value and without a final
    /// CRLF (RFC 6376 section 3.7): <paramref name="field"/> is <c>DKIM-Signature: ...; b=</c>.
    /// </summary>
    public static void AppendSignatureField(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> field, DkimCanonicalization canonicalization)
    {
        if (canonicalization == DkimCanonicalization.Simple)
        {
            output.Write(field);
            return;
        }
        AppendRelaxed(output, field);
    }

    private static void AppendRelaxed(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> field)
    {
        var colon = field.IndexOf((byte)':');
        var name = colon < 0 ? field : field[..colon];
        name = name.TrimEnd(" \t"u8);
        var lowered = output.GetSpan(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            lowered[i] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
        }
        output.Advance(name.Length);
        output.Write(":"u8);
        if (colon < 0)
        {
            return;
        }
        var pendingSpace = false;
        var started = false;
        foreach (var b in field[(colon + 1)..])
        {
            switch (b)
            {
                case (byte)'\r' or (byte)'\n':
                    // Unfolding: the line break goes; the whitespace after it counts as whitespace.
                    continue;
                case (byte)' ' or (byte)'\t':
                    pendingSpace = started;
                    continue;
                default:
                    if (pendingSpace)
                    {
                        output.Write(" "u8);
                        pendingSpace = false;
                    }
                    output.GetSpan(1)[0] = b;
                    output.Advance(1);
                    started = true;
                    continue;
            }
        }
    }
}
