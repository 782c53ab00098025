namespace Postern.Policy.Access;

/// <summary>
/// How an access-map line's key is stored in a <c>pgsql:</c> table: the tag in one canonical
/// spelling (<c>Connect:</c>, <c>To:</c>, <c>CERTSUBJECT:</c>, <c>TLS_Clt:</c>...), then the key as
/// the map compares it (names, addresses and hex lowercased, DNs decoded from <c>+XX</c>). The
/// reader asks for exactly these strings, so whoever writes a row (<c>postern access add</c>) must
/// write its key through <see cref="TryNormalize"/>.
/// </summary>
public static class AccessTableKey
{
    /// <summary>The stored key of a line written <paramref name="key"/> (<c>connect:192.168.1</c> → <c>Connect:192.168.1</c>).</summary>
    /// <returns>False with the reason when the key is not one the access map accepts.</returns>
    public static bool TryNormalize(string key, out string tableKey, out string error)
    {
        ArgumentNullException.ThrowIfNull(key);
        tableKey = "";
        var (tag, tagName, keyText) = AccessMapParser.SplitTag(key.Trim());
        if (!AccessKeys.TryNormalize(tag, keyText, out var normalized, out error))
        {
            error = (tagName.Length == 0 ? "" : tagName + ": ") + error;
            return false;
        }
        tableKey = Format(tag, tagName, normalized);
        return true;
    }

    /// <summary>The stored key of a tag and a normalized key.</summary>
    internal static string Format(AccessTag tag, string normalizedKey) => Format(tag, "", normalizedKey);

    internal static string Format(AccessTag tag, string tagName, string normalizedKey) =>
        tag == AccessTag.None ? normalizedKey : CanonicalTag(tag, tagName) + ":" + normalizedKey;

    /// <summary>The one spelling a tag is stored under; an unknown tag as written.</summary>
    internal static string CanonicalTag(AccessTag tag, string written = "") => tag switch
    {
        AccessTag.Connect => "Connect",
        AccessTag.From => "From",
        AccessTag.To => "To",
        AccessTag.CertIssuer => "CERTISSUER",
        AccessTag.CertSubject => "CERTSUBJECT",
        AccessTag.CertFp => "CERTFP",
        AccessTag.CertSpki => "CERTSPKI",
        AccessTag.CertSan => "CERTSAN",
        AccessTag.TlsClt => "TLS_Clt",
        AccessTag.ClientRate => "ClientRate",
        AccessTag.ClientConn => "ClientConn",
        AccessTag.GreetPause => "GreetPause",
        _ => written,
    };
}
