using System.Globalization;

namespace Postern.Hosting.Pickup;

/// <summary>
/// A uid's login name from /etc/passwd, for the comment of a trace header (the uid itself is what
/// counts). Users known only to NSS (LDAP, sssd) show as unknown; the read is bounded.
/// </summary>
internal static class LocalUserNames
{
    private const string PasswdFile = "/etc/passwd";
    private const int MaxLines = 100_000;

    public static string? NameOf(uint userId) => NameOf(userId, PasswdFile);

    public static string? NameOf(uint userId, string passwdFile)
    {
        try
        {
            var uid = userId.ToString(CultureInfo.InvariantCulture);
            foreach (var line in File.ReadLines(passwdFile).Take(MaxLines))
            {
                var fields = line.Split(':', 4);
                if (fields.Length == 4 && fields[2] == uid && fields[0].Length is > 0 and <= 64 && fields[0].All(IsNameCharacter))
                {
                    return fields[0];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No name then.
        }
        return null;
    }

    // What goes into a header comment: no parentheses, CR or LF from a doctored passwd line.
    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '$';
}
