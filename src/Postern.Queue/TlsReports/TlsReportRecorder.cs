using System.Text.Json;
using Microsoft.Extensions.Logging;
using Postern.Core.TlsReporting;

namespace Postern.Queue.TlsReports;

/// <summary>
/// Counts each outbound TLS session for TLS-RPT (the relay client calls <see cref="Record"/>) and
/// keeps the counts of every period until its reports are out.
/// <para>
/// Persistence is a periodic fsynced snapshot plus one at shutdown, not a write-ahead log:
/// <see cref="Record"/> runs on the delivery path and must stay a few dictionary lookups under a
/// lock, never a disk write; the snapshot is the bounded aggregate itself (so the disk holds no
/// more than <see cref="TlsReportLimits"/> allows, however much traffic), written only for the
/// periods that changed, atomically. A restart loses nothing: `serve` writes the snapshot when it
/// stops. A crash or power loss loses at most the sessions of the last
/// <see cref="TlsReportSender.SnapshotInterval"/>, which an aggregate statistic can afford and a
/// journal of every session (one write per delivery, compacted later) would cost far more to avoid.
/// </para>
/// </summary>
public sealed class TlsReportRecorder : ITlsSessionRecorder
{
    private readonly Lock _lock = new();
    // Serializes snapshots: two writers could otherwise put an older copy of a period last.
    private readonly Lock _writeLock = new();
    private readonly TlsReportBook _book;
    private readonly HashSet<DateTimeOffset> _dirty = [];
    private readonly HashSet<DateTimeOffset> _deleted = [];
    private readonly TlsReportStore _store;
    private readonly TlsReportingOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public TlsReportRecorder(TlsReportStore store, TlsReportingOptions options, TlsReportLimits limits, TimeProvider clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _clock = clock;
        _logger = logger;
        _book = new TlsReportBook(options.Interval, limits);
    }

    /// <summary>Creates the directory and reads back what an earlier run left; unreadable files are set aside.</summary>
    public void Load()
    {
        _store.EnsureCreated();
        var periods = _store.ReadAll((path, reason) =>
        {
            _logger.Unreadable(path, reason);
            TlsReportStore.SetAside(path);
        });
        lock (_lock)
        {
            foreach (var period in periods)
            {
                _book.Restore(period);
            }
        }
    }

    public void Record(TlsSessionOutcome outcome)
    {
        try
        {
            lock (_lock)
            {
                var period = _book.Add(outcome, _clock.GetUtcNow());
                _dirty.Add(period.Start);
            }
        }
        catch (Exception e)
        {
            // The contract: recording never fails a delivery, whatever the outcome held.
            _logger.NotCounted(e.Message);
        }
    }

    /// <summary>
    /// Writes every period changed since the last snapshot (and deletes those that are done).
    /// On failure the periods stay marked and the error is logged; the next snapshot tries again.
    /// </summary>
    public void Flush()
    {
        lock (_writeLock)
        {
            List<(DateTimeOffset Start, byte[] Json)> writes;
            List<DateTimeOffset> deletes;
            lock (_lock)
            {
                writes = [.. _dirty.Select(start => (start, JsonSerializer.SerializeToUtf8Bytes(_book.Find(start)!, TlsReportJsonContext.Default.PeriodCounts)))];
                deletes = [.. _deleted];
                _dirty.Clear();
                _deleted.Clear();
            }
            try
            {
                foreach (var (start, json) in writes)
                {
                    _store.Write(start, json);
                }
                foreach (var start in deletes)
                {
                    _store.Delete(start);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (_lock)
                {
                    _dirty.UnionWith(writes.Select(w => w.Start).Where(s => _book.Find(s) is not null));
                    _deleted.UnionWith(deletes);
                }
                _logger.SaveFailed(_store.Directory, e.Message);
            }
        }
    }

    /// <summary>
    /// The reports to send now: every domain of every period over by <paramref name="now"/> whose
    /// next try is due. Such periods are closed: later sessions count in the current period.
    /// </summary>
    public List<DueReport> TakeDue(DateTimeOffset now)
    {
        var due = new List<DueReport>();
        lock (_lock)
        {
            foreach (var period in _book.Periods.Where(p => p.End <= now))
            {
                if (!period.Closed)
                {
                    period.Closed = true;
                    _dirty.Add(period.Start);
                }
                foreach (var domain in period.Domains.Where(d => d.Delivery is null || d.Delivery.NextAttempt <= now))
                {
                    var report = TlsReportBuilder.Build(period, domain, _options);
                    var fileName = TlsReportBuilder.FileName(period, domain.Domain, _options.Submitter);
                    due.Add(new DueReport(period.Start, domain.Domain, report, fileName, [.. domain.Delivery?.Delivered ?? []], domain.Delivery?.Attempts ?? 0));
                }
            }
        }
        return due;
    }

    /// <summary>The domain's report is done with (sent, or not to be sent): its counts go.</summary>
    public void Complete(DueReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_lock)
        {
            if (_book.Find(report.PeriodStart) is not { } period || period.Find(report.Domain) is not { } domain)
            {
                return;
            }
            period.Remove(domain);
            if (period.IsEmpty)
            {
                _book.Remove(period.Start);
                _dirty.Remove(period.Start);
                _deleted.Add(period.Start);
            }
            else
            {
                _dirty.Add(period.Start);
            }
        }
    }

    /// <summary>Remembers a failed try: the addresses that took the report, the error, the next try.</summary>
    public void Retry(DueReport report, IReadOnlyList<string> delivered, string error, DateTimeOffset nextAttempt)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_lock)
        {
            if (_book.Find(report.PeriodStart) is not { } period || period.Find(report.Domain) is not { } domain)
            {
                return;
            }
            domain.Delivery = new ReportDelivery
            {
                Attempts = report.Attempts + 1,
                NextAttempt = nextAttempt,
                Delivered = [.. delivered],
                LastError = error,
            };
            _dirty.Add(period.Start);
        }
    }

    /// <summary>A copy of the counts of every period, for tests and diagnostics.</summary>
    public List<PeriodCounts> Snapshot()
    {
        lock (_lock)
        {
            return [.. _book.Periods.Select(p => JsonSerializer.Deserialize(
                JsonSerializer.SerializeToUtf8Bytes(p, TlsReportJsonContext.Default.PeriodCounts), TlsReportJsonContext.Default.PeriodCounts)!)];
        }
    }
}
