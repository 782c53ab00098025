namespace Postern.Policy.Access;

/// <summary>
/// The one spelling of an access-map key in a <c>pgsql:</c> table, where keys are compared exactly:
/// the tag as sendmail's documentation writes it (<c>Connect:</c>, <c>From:</c>, <c>To:</c>,
/// <c>CERTISSUER:</c>, <c>CERTSUBJECT:</c>, <c>CERTFP:</c>, <c>CERTSPKI:</c>, <c>CERTSAN:</c>,
/// <c>TLS_Clt:</c>, <c>ClientRate:</c>, <c>ClientConn:</c>, <c>GreetPause:</c>; an unknown tag
/// lower-cased), then the key as the map compares it (lower-cased names, addresses and hex), a
/// distinguished name in its <c>+XX</c> form so the key stays one word. Writers store keys so, and
/// readers ask for the keys a lookup consults so.
/// </summary>
public static class AccessTableKeys
{
    /// <summary>The table key of an entry read from a line.</summary>
    public static string Of(AccessEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Format(entry.Tag, entry.TagName, entry.Key);
    }

    /// <summary>The table key for <paramref name="tag"/> and a key as the map compares it.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="tagName">The tag as written; used only for <see cref="AccessTag.Other"/>.</param>
    /// <param name="normalizedKey">The key as <see cref="AccessEntry.Key"/> holds it.</param>
    public static string Format(AccessTag tag, string tagName, string normalizedKey)
    {
        ArgumentNullException.ThrowIfNull(normalizedKey);
        return tag switch
        {
            AccessTag.None => normalizedKey,
            AccessTag.Other => (tagName ?? "").ToLowerInvariant() + ":" + normalizedKey,
            AccessTag.CertIssuer or AccessTag.CertSubject => TagName(tag) + ":" + SendmailDnCodec.Encode(normalizedKey),
            _ => TagName(tag) + ":" + normalizedKey,
        };
    }

    /// <summary>The table key of a key as an administrator writes it (<c>connect:192.0.2.1</c>, <c>CERTSUBJECT:/CN=x</c>), or null with the problem.</summary>
    public static string? TryParse(string key, out string error)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Any(c => c is ' ' or '\t' or '\r' or '\n'))
        {
            error = "a key is one word without white space";
            return null;
        }
        var (tag, tagName, text) = AccessMapParser.SplitTag(key);
        if (!AccessKeys.TryNormalize(tag, text, out var normalized, out error))
        {
            error = (tagName.Length == 0 ? "" : tagName + ": ") + error;
            return null;
        }
        return Format(tag, tagName, normalized);
    }

    private static string TagName(AccessTag tag) => tag switch
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
        _ => throw new ArgumentOutOfRangeException(nameof(tag), tag, "no tag name"),
    };
}
