using System.Text.RegularExpressions;

namespace Postern.Config;

/// <summary>
/// Local user names. They become Maildir directory names and local parts, so the set is the
/// portable POSIX one: no '/', no leading '.' or '-', no "..".
/// </summary>
internal static partial class UserNameSyntax
{
    public const string Description = "1 to 64 characters from A-Z a-z 0-9 . _ -, starting with a letter, digit or _, without \"..\" or a trailing \".\"";

    public static bool IsValid(string name) =>
        Pattern().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal) && name[^1] != '.';

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
