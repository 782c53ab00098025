using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Tls;

namespace Postern.Policy.Access;

/// <summary>
/// A loaded access map (immutable). Lookups follow sendmail's order, most specific key first,
/// and at each key the tagged entry before the untagged one. When a key appears twice the first
/// line wins, as with makemap without -r.
/// </summary>
public sealed class AccessMap
{
    private readonly Dictionary<(AccessTag Tag, string Key), AccessEntry> _index = [];

    internal AccessMap(IReadOnlyList<AccessEntry> entries, string fileName = "")
    {
        Entries = entries;
        FileName = fileName;
        foreach (var entry in entries)
        {
            if (entry.Tag != AccessTag.Other)
            {
                _index.TryAdd((entry.Tag, entry.Key), entry);
            }
            HasClientLimits |= entry.Tag is AccessTag.ClientRate or AccessTag.ClientConn or AccessTag.GreetPause;
        }
    }

    /// <summary>
    /// Whether any <c>ClientRate:</c>, <c>ClientConn:</c> or <c>GreetPause:</c> line is loaded: most
    /// maps have none, and then no connection needs their per-client lookups.
    /// </summary>
    public bool HasClientLimits { get; }

    public static AccessMap Empty { get; } = new([]);

    /// <summary>Every line in file order, unknown tags included.</summary>
    public IReadOnlyList<AccessEntry> Entries { get; }

    /// <summary>The file the map was read from (as given to the parser); empty for <see cref="Empty"/>.</summary>
    public string FileName { get; }

    /// <summary><c>file:line</c> of an entry, for the mail log and <c>postern access check</c>; the table's name (<c>pgsql:access</c>) for a row of a table.</summary>
    public string Where(AccessEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Line == 0 && FileName.Length > 0)
        {
            return FileName;
        }
        return (FileName.Length == 0 ? "access" : FileName) + ":" + entry.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Connect: host name and its parents (when the client has a name), then the address and its prefixes.</summary>
    public AccessEntry? LookupConnect(IPAddress address, string? hostName)
    {
        ArgumentNullException.ThrowIfNull(address);
        var keys = hostName is null || hostName.StartsWith('[')
            ? AccessKeys.AddressCandidates(address)
            : AccessKeys.DomainCandidates(hostName).Concat(AccessKeys.AddressCandidates(address));
        return First(AccessTag.Connect, keys);
    }

    /// <summary>
    /// TLS_Clt: keyed like Connect: (host name and parents, then the address and its prefixes),
    /// then the empty key, sendmail's default for every client. Tagged entries only.
    /// </summary>
    public AccessEntry? LookupTlsClient(IPAddress address, string? hostName) => LookupPerClient(AccessTag.TlsClt, address, hostName);

    /// <summary>
    /// The per-client tags (<c>ClientRate:</c>, <c>ClientConn:</c>, <c>GreetPause:</c>, <c>TLS_Clt:</c>):
    /// host name and parents (when the client has a name), the address and its prefixes, then the
    /// empty key, sendmail's default for every client. Tagged entries only.
    /// </summary>
    public AccessEntry? LookupPerClient(AccessTag tag, IPAddress address, string? hostName = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var keys = hostName is null || hostName.StartsWith('[')
            ? AccessKeys.AddressCandidates(address)
            : AccessKeys.DomainCandidates(hostName).Concat(AccessKeys.AddressCandidates(address));
        foreach (var key in keys.Append(""))
        {
            if (Find(tag, key) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>From: <c>user@domain</c>, the domain and its parents, <c>user@</c>; the null sender is <c>&lt;&gt;</c>.</summary>
    public AccessEntry? LookupSender(Mailbox? sender) =>
        First(AccessTag.From, sender is null ? ["<>"] : MailboxCandidates(sender));

    /// <summary>To: <c>user@domain</c>, the domain and its parents, <c>user@</c>.</summary>
    public AccessEntry? LookupRecipient(Mailbox recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return First(AccessTag.To, MailboxCandidates(recipient));
    }

    /// <summary>
    /// Only a certificate that verified (<see cref="VerifyResult.Ok"/>) is ever looked up. Order:
    /// CERTFP, CERTSPKI, CERTSAN (DNS names, then emails), then CERTISSUER; an issuer entry of
    /// SUBJECT matches only through the subject's CERTSUBJECT entry (sendmail's rule), and a
    /// CERTSUBJECT entry is consulted only that way.
    /// </summary>
    public CertificateMatch? LookupCertificate(CertificateVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        if (verification.Result != VerifyResult.Ok || verification.Certificate is not { } facts)
        {
            return null;
        }

        if (Find(AccessTag.CertFp, "sha256:" + facts.FingerprintSha256.ToLowerInvariant()) is { } fp)
        {
            return new CertificateMatch(fp, "certificate fingerprint sha256:" + fp.Key[7..]);
        }

        if (Find(AccessTag.CertSpki, "sha256:" + facts.SpkiSha256.ToLowerInvariant()) is { } spki)
        {
            return new CertificateMatch(spki, "certificate public key sha256:" + spki.Key[7..]);
        }

        foreach (var san in facts.DnsNames.Concat(facts.EmailAddresses))
        {
            if (Find(AccessTag.CertSan, san.ToLowerInvariant()) is { } byName)
            {
                return new CertificateMatch(byName, "certificate subject alternative name " + san);
            }
        }

        if (Find(AccessTag.CertIssuer, facts.Issuer) is not { } issuer)
        {
            return null;
        }

        if (issuer.Action != AccessAction.Subject)
        {
            return new CertificateMatch(issuer, "certificate issuer " + facts.Issuer);
        }

        return Find(AccessTag.CertSubject, facts.Subject) is { } subject
            ? new CertificateMatch(subject, "certificate subject " + facts.Subject + " (issuer " + facts.Issuer + " says SUBJECT)")
            : null;
    }

    internal static IEnumerable<string> MailboxCandidates(Mailbox mailbox)
    {
        var user = mailbox.LocalPart.ToLowerInvariant();
        var domain = mailbox.Domain.TrimEnd('.').ToLowerInvariant();
        yield return user + "@" + domain;
        foreach (var candidate in AccessKeys.DomainCandidates(domain))
        {
            yield return candidate;
        }

        yield return user + "@";
    }

    private AccessEntry? First(AccessTag tag, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if ((Find(tag, key) ?? Find(AccessTag.None, key)) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    private AccessEntry? Find(AccessTag tag, string key) => _index.GetValueOrDefault((tag, key));
}
