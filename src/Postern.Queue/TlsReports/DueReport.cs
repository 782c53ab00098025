namespace Postern.Queue.TlsReports;

/// <summary>A domain's report for a closed period, ready to send: built from a copy of the counts.</summary>
/// <param name="PeriodStart">Which period (the key for completing or retrying it).</param>
/// <param name="Domain">The policy domain.</param>
/// <param name="Report">The RFC 8460 report.</param>
/// <param name="FileName">Section 5.1's name for the gzip file.</param>
/// <param name="Delivered">The addresses that already took it in an earlier try.</param>
/// <param name="Attempts">Earlier tries that failed.</param>
public sealed record DueReport(
    DateTimeOffset PeriodStart,
    string Domain,
    TlsReport Report,
    string FileName,
    IReadOnlyList<string> Delivered,
    int Attempts);
