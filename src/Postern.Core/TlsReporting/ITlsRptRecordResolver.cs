namespace Postern.Core.TlsReporting;

/// <summary>
/// Looks up a domain's TLS-RPT record (RFC 8460 section 3): the TXT records of
/// <c>_smtp._tls.DOMAIN</c>. The DNS implementation lives with the other lookups in
/// Postern.Delivery; the report sender in Postern.Queue parses the answer.
/// </summary>
public interface ITlsRptRecordResolver
{
    /// <summary>Never throws for DNS trouble: a failure is <see cref="TlsRptTxtStatus.Failed"/>.</summary>
    Task<TlsRptTxtLookup> LookupAsync(string domain, CancellationToken cancellationToken);
}
