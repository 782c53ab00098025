using System.Buffers;
using System.Globalization;
using System.Text;
using Postern.Core.Stages;

namespace Postern.Filters.Dkim;

/// <summary>
/// One configured signature: an entry with its loaded key. Makes the DKIM-Signature field value
/// for a message's final header fields and its body hash (RFC 6376 section 5).
/// </summary>
public sealed class DkimSigner : IDisposable
{
    public const string FieldName = "DKIM-Signature";

    /// <summary>Folded lines stay under this many characters, as RFC 5322 recommends (78).</summary>
    private const int LineWidth = 76;

    public DkimSigner(DkimEntry entry, DkimPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(key);
        Entry = entry;
        Key = key;
        SignedNames = [.. entry.Headers.Concat(entry.OversignHeaders).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    public DkimEntry Entry { get; }

    public DkimPrivateKey Key { get; }

    /// <summary>Every name signed, configured and oversigned, each once, in the configured order.</summary>
    public IReadOnlyList<string> SignedNames { get; }

    /// <summary>
    /// The value of the DKIM-Signature field (folded, without the name and final CRLF) that signs
    /// <paramref name="headers"/> (as they will be written) and the body whose hash is
    /// <paramref name="bodyHash"/> (canonicalized as <see cref="DkimEntry.BodyCanonicalization"/>).
    /// </summary>
    public string Sign(IReadOnlyList<HeaderField> headers, byte[] bodyHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(bodyHash);
        var fields = headers.Select(h => h.ToBytes()).ToArray();
        var signed = SignedFieldNames(headers);
        var tags = new StringBuilder();
        tags.Append("v=1; a=").Append(Key.Algorithm.SignatureTag())
            .Append("; c=").Append(Entry.CanonicalizationTag)
            .Append("; d=").Append(Entry.Domain)
            .Append("; s=").Append(Entry.Selector).Append(";\r\n\tt=")
            .Append(now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append(";\r\n\t");
        AppendFolded(tags, "h=", signed, ":");
        tags.Append(";\r\n\tbh=").Append(Convert.ToBase64String(bodyHash)).Append(";\r\n\tb=");

        var data = new ArrayBufferWriter<byte>(4096);
        var used = new bool[headers.Count];
        foreach (var name in signed)
        {
            // RFC 6376 section 5.4.2: each name takes the last instance not yet taken; none left signs nothing.
            for (var i = headers.Count - 1; i >= 0; i--)
            {
                if (!used[i] && headers[i].Is(name))
                {
                    used[i] = true;
                    DkimHeaderCanonicalizer.AppendField(data, fields[i], Entry.HeaderCanonicalization);
                    break;
                }
            }
        }
        var value = tags.ToString();
        DkimHeaderCanonicalizer.AppendSignatureField(data, Encoding.UTF8.GetBytes(FieldName + ": " + value), Entry.HeaderCanonicalization);
        var signature = Convert.ToBase64String(Key.Sign(data.WrittenSpan.ToArray()));
        var folded = new StringBuilder(value);
        AppendFolded(folded, "", Chunks(signature, LineWidth - 8), "");
        return folded.ToString();
    }

    public void Dispose() => Key.Dispose();

    /// <summary>The h= list: each signed name as often as it occurs, oversigned names once more.</summary>
    private List<string> SignedFieldNames(IReadOnlyList<HeaderField> headers)
    {
        var names = new List<string>();
        foreach (var name in SignedNames)
        {
            var count = headers.Count(h => h.Is(name));
            if (Entry.OversignHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                count++;
            }
            for (var i = 0; i < count; i++)
            {
                names.Add(name);
            }
        }
        return names;
    }

    /// <summary>Appends the parts joined by <paramref name="separator"/>, folding (CRLF TAB) before a part that would pass the line width.</summary>
    private static void AppendFolded(StringBuilder text, string start, IEnumerable<string> parts, string separator)
    {
        text.Append(start);
        var column = ColumnOf(text);
        var first = true;
        foreach (var part in parts)
        {
            var piece = first ? part : separator + part;
            if (!first && column + piece.Length > LineWidth)
            {
                text.Append(separator).Append("\r\n\t");
                column = 8;
                piece = part;
            }
            text.Append(piece);
            column += piece.Length;
            first = false;
        }
    }

    private static int ColumnOf(StringBuilder text)
    {
        var column = 0;
        for (var i = text.Length - 1; i >= 0 && text[i] != '\n'; i--)
        {
            column += text[i] == '\t' ? 8 : 1;
        }
        return column;
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var start = 0; start < text.Length; start += size)
        {
            yield return text.Substring(start, Math.Min(size, text.Length - start));
        }
    }
}
