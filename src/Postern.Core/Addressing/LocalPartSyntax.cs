using System.Text;

namespace Postern.Core.Addressing;

/// <summary>RFC 5321 local-part forms: dot-string or quoted-string.</summary>
public static class LocalPartSyntax
{
    /// <summary>True for an RFC 5321 atext character (UTF-8 beyond ASCII allowed, RFC 6531).</summary>
    public static bool IsAtext(char c) =>
        c >= 0x80
        || char.IsAsciiLetterOrDigit(c)
        || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal);

    /// <summary>True when <paramref name="localPart"/> can be written without quotes.</summary>
    public static bool IsDotString(string localPart)
    {
        if (localPart.Length == 0 || localPart[0] == '.' || localPart[^1] == '.')
        {
            return false;
        }
        for (var i = 0; i < localPart.Length; i++)
        {
            var c = localPart[i];
            if (c == '.')
            {
                if (localPart[i - 1] == '.')
                {
                    return false;
                }
            }
            else if (!IsAtext(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The local part as it must be written: as is when a dot-string, else quoted.</summary>
    public static string Encode(string localPart)
    {
        if (IsDotString(localPart))
        {
            return localPart;
        }
        var builder = new StringBuilder(localPart.Length + 2).Append('"');
        foreach (var c in localPart)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.Append('"').ToString();
    }
}
