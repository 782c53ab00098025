using System.Text;

namespace Postern.Tools.Sendmail;

/// <summary>
/// Splits an address list at its top-level commas, dropping group names and the closing ';'
/// (<c>team: a, b;</c>). MimeKit alone reads <c>alice, Bob &lt;bob@x&gt;</c> as one mailbox
/// when bare names without a domain are allowed, which sendmail's users type all the time.
/// </summary>
internal static class AddressListSplitter
{
    public static List<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var comment = 0;
        var angle = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                current.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                continue;
            }
            if (comment > 0)
            {
                current.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                comment += c == '(' ? 1 : c == ')' ? -1 : 0;
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    current.Append(c);
                    break;
                case '(':
                    comment = 1;
                    current.Append(c);
                    break;
                case '<':
                    angle = true;
                    current.Append(c);
                    break;
                case '>':
                    angle = false;
                    current.Append(c);
                    break;
                case ':' when !angle:
                    // A group name: the members follow.
                    current.Clear();
                    break;
                case ',' when !angle:
                case ';' when !angle:
                    Flush(pieces, current);
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }
        Flush(pieces, current);
        return pieces;
    }

    private static void Flush(List<string> pieces, StringBuilder current)
    {
        var piece = current.ToString().Trim();
        if (piece.Length > 0)
        {
            pieces.Add(piece);
        }
        current.Clear();
    }
}
