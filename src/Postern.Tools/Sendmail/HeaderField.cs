using System.Text;

namespace Postern.Tools.Sendmail;

/// <summary>One header field as read: its name and its physical lines (folded continuations included), without line ends.</summary>
public sealed record HeaderField(string Name, IReadOnlyList<byte[]> Lines)
{
    /// <summary>The unfolded value after the colon, decoded as UTF-8 (for address extraction only; the bytes are kept as they came).</summary>
    public string Value
    {
        get
        {
            var text = string.Join(" ", Lines.Select(l => Encoding.UTF8.GetString(l).Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return text[(colon + 1)..].Trim();
        }
    }

    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}
