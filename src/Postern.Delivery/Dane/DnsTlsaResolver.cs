using System.Globalization;
using DnsClient;
using DnsClient.Protocol;
using Postern.Delivery.Routing;

namespace Postern.Delivery.Dane;

/// <summary>
/// TLSA lookups (RFC 7672 2.2) through the validating resolver. Records count only when the
/// resolver validated them (AD); a validated denial means DANE does not apply; an answer without
/// AD (an unsigned zone, a resolver that does not validate) is insecure; SERVFAIL (what a
/// validating resolver answers for bogus data) or a timeout fails, and the host must be deferred.
/// When the host name is an alias (RFC 7672 2.2.3), the TLSA records of the name its validated
/// CNAME chain ends at are tried first and the original name's only if the expanded one securely
/// has none; the chain is taken from the address (A) answer, which DnsClient returns whole.
/// </summary>
public sealed class DnsTlsaResolver(ValidatingDnsClient client) : ITlsaResolver
{
    public async ValueTask<TlsaLookup> LookupAsync(string hostName, int port, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        var name = Normalize(hostName);
        if (await ExpandedNameAsync(name, cancellationToken) is { } expanded)
        {
            var atTarget = await LookupAtAsync(expanded, port, cancellationToken);
            if (atTarget.Status is TlsaLookupStatus.Secure or TlsaLookupStatus.Failed)
            {
                return atTarget;
            }
        }
        return await LookupAtAsync(name, port, cancellationToken);
    }

    /// <summary>The end of <paramref name="name"/>'s CNAME chain when the chain was validated; null when it is no alias.</summary>
    private async Task<string?> ExpandedNameAsync(string name, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(name, QueryType.A, cancellationToken);
        if (!answer.Authenticated)
        {
            return null;
        }
        var target = name;
        // Follow the chain in order; bounded by the records in the one answer.
        var aliases = answer.Answers.CnameRecords().ToList();
        for (var step = 0; step < aliases.Count; step++)
        {
            var next = aliases.FirstOrDefault(c => Normalize(c.DomainName.Value) == target);
            if (next is null)
            {
                break;
            }
            target = Normalize(next.CanonicalName.Value);
        }
        return target == name ? null : target;
    }

    private async Task<TlsaLookup> LookupAtAsync(string baseName, int port, CancellationToken cancellationToken)
    {
        var owner = string.Create(CultureInfo.InvariantCulture, $"_{port}._tcp.{baseName}");
        var answer = await client.QueryAsync(owner, QueryType.TLSA, cancellationToken);
        if (answer.Status == DnsLookup.Failed)
        {
            return new TlsaLookup(TlsaLookupStatus.Failed, [], baseName, $"TLSA lookup for {owner} failed");
        }
        var records = answer.Answers.OfType<TlsaRecord>()
            .Select(r => new TlsaAssociation((byte)r.CertificateUsage, (byte)r.Selector, (byte)r.MatchingType, r.CertificateAssociationData.ToArray()))
            .ToList();
        if (!answer.Authenticated)
        {
            return new TlsaLookup(TlsaLookupStatus.Insecure, [], baseName, records.Count == 0 ? null : $"TLSA records of {owner} are not DNSSEC-validated");
        }
        return records.Count == 0
            ? new TlsaLookup(TlsaLookupStatus.NotFound, [], baseName)
            : new TlsaLookup(TlsaLookupStatus.Secure, records, baseName);
    }

    private static string Normalize(string name) =>
        (name.EndsWith('.') ? name[..^1] : name).ToLowerInvariant();
}
