using System.Text;

namespace Postern.Delivery.MtaSts;

/// <summary>Text from DNS or a policy host made safe for a log line: printable ASCII, bounded length.</summary>
internal static class PrintableText
{
    public static string Of(string text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 3);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, maxLength)))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        if (text.Length > maxLength)
        {
            builder.Append("...");
        }
        return builder.ToString();
    }
}
