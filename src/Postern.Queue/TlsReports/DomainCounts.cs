namespace Postern.Queue.TlsReports;

/// <summary>One policy domain's sessions in a period, by policy, and how far its report got.</summary>
public sealed class DomainCounts
{
    public string Domain { get; set; } = "";

    public List<PolicyCounts> Policies { get; set; } = [];

    /// <summary>Null until the period is over and a report was tried.</summary>
    public ReportDelivery? Delivery { get; set; }
}
