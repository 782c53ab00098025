namespace Postern.Delivery.Relay;

/// <summary>
/// <c>delivery.sender_auth_file</c>: relay credentials chosen by the envelope sender, in sendmail's
/// AuthInfo syntax with an address or <c>@domain</c> where the host would be
/// (<c>AuthInfo:alice@example.org "U:alice" "P:secret" "M:PLAIN"</c>), as Postfix's
/// smtp_sasl_password_maps with smtp_sender_dependent_authentication. The address is looked up
/// first, then its @domain; there is no default entry (a sender without one falls back to the
/// route's and then the host's credentials).
/// </summary>
public sealed class SenderAuthFile
{
    private readonly AuthInfoFile _entries;

    private SenderAuthFile(AuthInfoFile entries) => _entries = entries;

    public int Count => _entries.Count;

    /// <summary>Loads <paramref name="path"/>; <see cref="AuthInfoFileException"/> naming the file and line.</summary>
    public static SenderAuthFile Load(string path) => Parse(path, SecretFile.ReadLines(path));

    public static SenderAuthFile Parse(string name, IReadOnlyList<string> lines) =>
        new(AuthInfoFile.Parse(name, lines, CheckKey));

    /// <summary>The credential for <paramref name="sender"/> (local@domain), or null; the null sender has none.</summary>
    public RelayCredential? Find(string? sender)
    {
        if (string.IsNullOrEmpty(sender))
        {
            return null;
        }
        var at = sender.LastIndexOf('@');
        return _entries.FindEntry(sender) ?? (at > 0 ? _entries.FindEntry(sender[at..]) : null);
    }

    private static string? CheckKey(string key)
    {
        var at = key.LastIndexOf('@');
        return at < 0 || at == key.Length - 1
            ? $"expected an address (AuthInfo:alice@example.org) or a domain (AuthInfo:@example.org), got {(key.Length == 0 ? "no key" : key)}"
            : null;
    }
}
