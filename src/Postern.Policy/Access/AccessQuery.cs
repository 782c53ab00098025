using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Tls;

namespace Postern.Policy.Access;

/// <summary>What one decision may look up in the access map: the client, its certificate, the sender and the recipient.</summary>
/// <param name="Address">The client address.</param>
/// <param name="Certificate">The client certificate's verification; only a verified one is looked up.</param>
/// <param name="HasSender">Whether <paramref name="Sender"/> is known (null there is then the null sender).</param>
/// <param name="Sender">The reverse path.</param>
/// <param name="Recipient">The recipient at RCPT.</param>
public sealed record AccessQuery(IPAddress Address, CertificateVerification? Certificate = null, bool HasSender = false, Mailbox? Sender = null, Mailbox? Recipient = null)
{
    /// <summary>Every stored key the <paramref name="needs"/> can consult for this query (see <see cref="AccessTableKey"/>), without repeats.</summary>
    public IReadOnlyCollection<string> TableKeys(AccessNeeds needs)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var address = needs.HasFlag(AccessNeeds.Client) || needs.HasFlag(AccessNeeds.TlsClient) || needs.HasFlag(AccessNeeds.ClientLimits)
            ? AccessKeys.AddressCandidates(Address).ToList()
            : [];
        if (needs.HasFlag(AccessNeeds.Client))
        {
            // check_client_access looks the address up without the host name (AccessMap.LookupConnect(address, null)).
            AddTaggedAndUntagged(keys, AccessTag.Connect, address);
        }
        if (needs.HasFlag(AccessNeeds.TlsClient))
        {
            AddTagged(keys, AccessTag.TlsClt, address.Append(""));
        }
        if (needs.HasFlag(AccessNeeds.ClientLimits))
        {
            foreach (var tag in new[] { AccessTag.ClientRate, AccessTag.ClientConn, AccessTag.GreetPause })
            {
                AddTagged(keys, tag, address.Append(""));
            }
        }
        if (needs.HasFlag(AccessNeeds.Sender) && HasSender)
        {
            AddTaggedAndUntagged(keys, AccessTag.From, Sender is null ? ["<>"] : AccessMap.MailboxCandidates(Sender));
        }
        if (needs.HasFlag(AccessNeeds.Recipient) && Recipient is not null)
        {
            AddTaggedAndUntagged(keys, AccessTag.To, AccessMap.MailboxCandidates(Recipient));
        }
        if (needs.HasFlag(AccessNeeds.Certificate) && Certificate is { Result: VerifyResult.Ok, Certificate: { } facts })
        {
            // The keys AccessMap.LookupCertificate can consult, in any order: the view answers as the whole map would.
            keys.Add(AccessTableKey.Format(AccessTag.CertFp, "sha256:" + facts.FingerprintSha256.ToLowerInvariant()));
            keys.Add(AccessTableKey.Format(AccessTag.CertSpki, "sha256:" + facts.SpkiSha256.ToLowerInvariant()));
            foreach (var san in facts.DnsNames.Concat(facts.EmailAddresses))
            {
                keys.Add(AccessTableKey.Format(AccessTag.CertSan, san.ToLowerInvariant()));
            }
            keys.Add(AccessTableKey.Format(AccessTag.CertIssuer, facts.Issuer));
            keys.Add(AccessTableKey.Format(AccessTag.CertSubject, facts.Subject));
        }
        return keys;
    }

    private static void AddTaggedAndUntagged(HashSet<string> keys, AccessTag tag, IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            keys.Add(AccessTableKey.Format(tag, candidate));
            keys.Add(candidate);
        }
    }

    private static void AddTagged(HashSet<string> keys, AccessTag tag, IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            keys.Add(AccessTableKey.Format(tag, candidate));
        }
    }
}
