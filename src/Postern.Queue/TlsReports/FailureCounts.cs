using Postern.Core.TlsReporting;

namespace Postern.Queue.TlsReports;

/// <summary>One "failure-details" row: failed sessions alike in result, addresses, host and detail.</summary>
public sealed class FailureCounts
{
    public TlsReportResultType Result { get; set; }

    public string? SendingIp { get; set; }

    public string? ReceivingMx { get; set; }

    public string? ReceivingIp { get; set; }

    public string? Information { get; set; }

    public long Count { get; set; }

    public bool Matches(TlsReportResultType result, string? sendingIp, string? receivingMx, string? receivingIp, string? information) =>
        Result == result
        && string.Equals(SendingIp, sendingIp, StringComparison.Ordinal)
        && string.Equals(ReceivingMx, receivingMx, StringComparison.Ordinal)
        && string.Equals(ReceivingIp, receivingIp, StringComparison.Ordinal)
        && string.Equals(Information, information, StringComparison.Ordinal);
}
