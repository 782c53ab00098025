namespace Postern.Milter.Protocol;

/// <summary>Macro names as sendmail sends them: one character bare (<c>j</c>, <c>i</c>, <c>_</c>), longer ones in braces (<c>{daemon_name}</c>).</summary>
internal static class MilterMacroNames
{
    public static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bare = name.StartsWith('{') && name.EndsWith('}') && name.Length >= 2 ? name[1..^1] : name;
        return bare.Length == 1 ? bare : "{" + bare + "}";
    }
}
