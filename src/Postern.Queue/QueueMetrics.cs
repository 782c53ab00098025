using System.Diagnostics.Metrics;
using Postern.Core.Delivery;
using Postern.Queue.Storage;

namespace Postern.Queue;

/// <summary>
/// The queue's instruments on the process's <c>Postern</c> meter: the queue size by state (an
/// observable gauge read from the spool at most every <see cref="ScanInterval"/>, however often
/// it is scraped), delivery attempts per recipient by result and transport, and the time from
/// queueing to delivery.
/// </summary>
public sealed class QueueMetrics
{
    /// <summary>A scrape within this time of the last spool scan reuses its counts.</summary>
    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(10);

    // Seconds: a local delivery takes milliseconds, a deferred one hours or days.
    private static readonly double[] LatencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400, 432000];

    private readonly Spool _spool;
    private readonly TimeProvider _clock;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _latency;
    private readonly Lock _scanLock = new();
    private long _scannedAt = long.MinValue;
    private (long Active, long Deferred, long Hold) _counts;

    public QueueMetrics(Meter meter, Spool spool, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _spool = spool;
        _clock = clock;
        meter.CreateObservableGauge(
            "postern.queue.messages", ObserveQueue, "{message}", "Messages in the queue by state: active (not tried yet or being tried), deferred (waiting for a retry), hold");
        _attempts = meter.CreateCounter<long>(
            "postern.delivery.attempts", "{recipient}", "Delivery attempts per recipient by result (delivered, deferred, failed) and transport (local, relay, other)");
        _latency = meter.CreateHistogram(
            "postern.delivery.latency", "s", "Time from queueing to delivery of each delivered recipient, by transport",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    /// <summary>One recipient's final outcome of an attempt, <paramref name="queued"/> after the message was queued.</summary>
    internal void Attempted(RecipientOutcome outcome, TimeSpan queued)
    {
        var transport = Transport(outcome.Mailer);
        var result = outcome.Status switch
        {
            DeliveryStatus.Delivered => "delivered",
            DeliveryStatus.Deferred => "deferred",
            _ => "failed",
        };
        _attempts.Add(1, new("result", result), new("transport", transport));
        if (outcome.Status == DeliveryStatus.Delivered)
        {
            _latency.Record(Math.Max(0, queued.TotalSeconds), new KeyValuePair<string, object?>("transport", transport));
        }
    }

    /// <summary>Mailer names as the transports report them, folded to a fixed set.</summary>
    internal static string Transport(string mailer) => mailer switch
    {
        "local" => "local",
        "esmtp" => "relay",
        _ => "other",
    };

    private Measurement<long>[] ObserveQueue()
    {
        var (active, deferred, hold) = Counts();
        return
        [
            new(active, new KeyValuePair<string, object?>("state", "active")),
            new(deferred, new KeyValuePair<string, object?>("state", "deferred")),
            new(hold, new KeyValuePair<string, object?>("state", "hold")),
        ];
    }

    private (long Active, long Deferred, long Hold) Counts()
    {
        lock (_scanLock)
        {
            var now = _clock.GetTimestamp();
            if (_scannedAt == long.MinValue || _clock.GetElapsedTime(_scannedAt, now) >= ScanInterval)
            {
                _counts = Scan();
                _scannedAt = now;
            }
            return _counts;
        }
    }

    /// <summary>
    /// Classifies queue/*.msg by their companions: a hold marker means on hold; a journal means
    /// tried at least once and still there, so waiting for a retry; neither means new.
    /// </summary>
    private (long Active, long Deferred, long Hold) Scan()
    {
        var paths = _spool.Paths;
        if (!Directory.Exists(paths.Queue))
        {
            return default;
        }
        var messages = new List<string>();
        var held = new HashSet<string>(StringComparer.Ordinal);
        var journaled = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var path in Directory.EnumerateFiles(paths.Queue))
            {
                var name = Path.GetFileName(path);
                var extension = Path.GetExtension(name);
                var stem = name[..^extension.Length];
                switch (extension)
                {
                    case SpoolPaths.MessageExtension:
                        messages.Add(stem);
                        break;
                    case SpoolPaths.HoldExtension:
                        held.Add(stem);
                        break;
                    case SpoolPaths.JournalExtension:
                        journaled.Add(stem);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return _counts;
        }
        long active = 0, deferred = 0, hold = 0;
        foreach (var id in messages)
        {
            if (held.Contains(id))
            {
                hold++;
            }
            else if (journaled.Contains(id))
            {
                deferred++;
            }
            else
            {
                active++;
            }
        }
        return (active, deferred, hold);
    }
}
