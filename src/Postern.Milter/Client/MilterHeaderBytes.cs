using System.Text;
using Postern.Core.Stages;

namespace Postern.Milter.Client;

/// <summary>
/// A header field as sendmail sends it in SMFIC_HEADER: the name, and the value after the colon
/// with its first space eaten (kept under SMFIP_HDR_LEADSPC), without the final line end, folded
/// lines joined by a bare LF. A received field goes from its bytes as received.
/// </summary>
internal static class MilterHeaderBytes
{
    public static (byte[] Name, byte[] Value) Split(HeaderField field, bool leadingSpace)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.Raw.IsEmpty)
        {
            var value = leadingSpace ? " " + field.Value : field.Value;
            return (Encoding.UTF8.GetBytes(field.Name), Encoding.UTF8.GetBytes(value.ReplaceLineEndings("\n")));
        }
        var raw = field.Raw.Span;
        var colon = raw.IndexOf((byte)':');
        if (colon < 0)
        {
            return (Encoding.UTF8.GetBytes(field.Name), []);
        }
        var name = raw[..colon].TrimEnd(" \t"u8);
        var rest = raw[(colon + 1)..];
        if (!leadingSpace && !rest.IsEmpty && rest[0] == (byte)' ')
        {
            rest = rest[1..];
        }
        return (name.ToArray(), Unfold(rest.TrimEnd("\r\n"u8)));
    }

    /// <summary>CRLF inside a folded value becomes LF, as sendmail and Postfix send it.</summary>
    private static byte[] Unfold(ReadOnlySpan<byte> value)
    {
        var output = new byte[value.Length];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == (byte)'\r' && i + 1 < value.Length && value[i + 1] == (byte)'\n')
            {
                continue;
            }
            output[length++] = value[i];
        }
        return output.AsSpan(0, length).ToArray();
    }
}
