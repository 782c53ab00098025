using System.Text.Json.Serialization;

namespace Postern.Queue.TlsReports;

/// <summary>
/// One report period's counts, by policy domain, as kept in memory and written to
/// <c>tls-reports/period-START.json</c>. <see cref="End"/> is exclusive.
/// </summary>
public sealed class PeriodCounts
{
    private Dictionary<string, DomainCounts>? _index;

    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    /// <summary>Reporting has begun: sessions seen later count in the current period instead.</summary>
    public bool Closed { get; set; }

    /// <summary>Sessions seen but not counted because a cap of <see cref="TlsReportLimits"/> was reached.</summary>
    public long DroppedSessions { get; set; }

    /// <summary>Roughly the characters of text held, against <see cref="TlsReportLimits.MaxPeriodCharacters"/>.</summary>
    public long Characters { get; set; }

    public List<DomainCounts> Domains { get; set; } = [];

    public DomainCounts? Find(string domain)
    {
        _index ??= Domains.ToDictionary(d => d.Domain, StringComparer.Ordinal);
        return _index.GetValueOrDefault(domain);
    }

    public void Add(DomainCounts domain)
    {
        _ = Find(domain.Domain);
        _index![domain.Domain] = domain;
        Domains.Add(domain);
    }

    public void Remove(DomainCounts domain)
    {
        _ = Find(domain.Domain);
        _index!.Remove(domain.Domain);
        Domains.Remove(domain);
    }

    [JsonIgnore]
    public bool IsEmpty => Domains.Count == 0;
}
