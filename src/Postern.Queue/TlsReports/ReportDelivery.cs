namespace Postern.Queue.TlsReports;

/// <summary>How far a domain's report for a closed period got: tries, the next one, and the addresses done.</summary>
public sealed class ReportDelivery
{
    /// <summary>Tries that failed for at least one address (or the record lookup).</summary>
    public int Attempts { get; set; }

    public DateTimeOffset NextAttempt { get; set; }

    /// <summary>The rua addresses (mailto: or https:) that took the report: not sent to again.</summary>
    public List<string> Delivered { get; set; } = [];

    public string? LastError { get; set; }
}
