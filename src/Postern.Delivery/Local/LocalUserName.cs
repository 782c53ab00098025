namespace Postern.Delivery.Local;

/// <summary>
/// Local user names become path components (MailboxRoot/USER), so they are checked before use:
/// no <c>/</c>, no <c>..</c>, no leading dot, no control characters; always lowercased.
/// </summary>
public static class LocalUserName
{
    public const int MaxLength = 255;

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && name[0] != '.'
        && !name.Contains("..", StringComparison.Ordinal)
        && !name.Any(c => c is '/' or '\\' || char.IsControl(c) || char.IsWhiteSpace(c));

    /// <summary>The lowercased name.</summary>
    /// <exception cref="ArgumentException">The name is not safe as a path component.</exception>
    public static string Normalize(string name) =>
        IsValid(name)
            ? name.ToLowerInvariant()
            : throw new ArgumentException($"'{name}' is not a valid local user name", nameof(name));
}
