using Postern.Core.TlsReporting;
using Postern.Delivery.Routing;

namespace Postern.Delivery.TlsReporting;

/// <summary>
/// The <c>_smtp._tls.DOMAIN</c> TXT lookup of RFC 8460 section 3, on the TXT resolver delivery
/// uses (DnsClient over <c>delivery.dns_servers</c>). Each record's character-strings come joined;
/// which of them is a TLS-RPT record is the parser's business (Queue/TlsReports/TlsRptRecord).
/// </summary>
public sealed class DnsTlsRptRecordResolver(ITxtResolver txt) : ITlsRptRecordResolver
{
    public async Task<TlsRptTxtLookup> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        var name = "_smtp._tls." + domain.TrimEnd('.').ToLowerInvariant();
        var answer = await txt.LookupTxtAsync(name, cancellationToken);
        return answer.Status switch
        {
            TxtAnswerStatus.Found => new TlsRptTxtLookup(TlsRptTxtStatus.Found, answer.Records),
            TxtAnswerStatus.NotFound => TlsRptTxtLookup.NotFound,
            _ => TlsRptTxtLookup.Failed($"TXT lookup for {name} failed"),
        };
    }
}
