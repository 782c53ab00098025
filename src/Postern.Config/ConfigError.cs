namespace Postern.Config;

/// <summary>
/// One problem in a configuration file. <paramref name="Line"/> and <paramref name="Column"/> are
/// 1-based; 0 means the problem has no place in the file (e.g. the file is missing).
/// <paramref name="Key"/> is the dotted key (<c>limits.max_recipients</c>, <c>listener[2].address</c>)
/// or empty for TOML syntax errors.
/// </summary>
public sealed record ConfigError(string File, int Line, int Column, string Key, string Message)
{
    /// <summary>Compiler-style: <c>postern.toml:12:1: limits.max_recipients: must be ...</c>.</summary>
    public override string ToString()
    {
        var place = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return Key.Length > 0 ? $"{place}: {Key}: {Message}" : $"{place}: {Message}";
    }
}
