using Postern.Core.TlsReporting;

namespace Postern.Delivery.Dane;

/// <summary>What <see cref="DaneMatcher"/> found: the record the certificate matched, or why none did.</summary>
/// <param name="Record">The TLSA record that authenticated the server; null when none did.</param>
/// <param name="Failure">The TLS-RPT result type of the failure; null on a match.</param>
/// <param name="Problem">A short reason for the log and the deferral reply; null on a match.</param>
public sealed record DaneVerdict(TlsaAssociation? Record, TlsReportResultType? Failure, string? Problem)
{
    public bool IsMatch => Record is not null;

    public static DaneVerdict Matched(TlsaAssociation record) => new(record, null, null);

    public static DaneVerdict Failed(TlsReportResultType failure, string problem) => new(null, failure, problem);
}
