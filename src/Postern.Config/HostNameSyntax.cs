namespace Postern.Config;

/// <summary>RFC 1123 host and domain names: dot-separated labels of letters, digits and inner hyphens.</summary>
public static class HostNameSyntax
{
    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63
                || label[0] == '-'
                || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }
        return true;
    }
}
