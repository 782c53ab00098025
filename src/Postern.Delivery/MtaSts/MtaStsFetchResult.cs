using Postern.Core.TlsReporting;

namespace Postern.Delivery.MtaSts;

/// <summary>
/// A policy body as served (up to 64 KiB), or why there is none with its TLS-RPT result type
/// (sts-policy-fetch-error, sts-webpki-invalid, sts-policy-invalid).
/// </summary>
public sealed record MtaStsFetchResult(string? Body, string? Problem, TlsReportResultType? ProblemType)
{
    public static MtaStsFetchResult Success(string body) => new(body, null, null);

    public static MtaStsFetchResult Failure(TlsReportResultType type, string problem) => new(null, problem, type);
}
