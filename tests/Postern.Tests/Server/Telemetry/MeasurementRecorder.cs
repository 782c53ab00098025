using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Postern.Tests.Server.Telemetry;

/// <summary>
/// Listens to the instruments of one <see cref="Meter"/> instance (not every meter named
/// "Postern", so tests running in parallel do not see each other) and keeps every measurement.
/// </summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = new();

    public MeasurementRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public Meter Meter { get; } = new("Postern.Tests");

    /// <summary>Reads the observable instruments now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose tags include all of <paramref name="tags"/> ("key=value").</summary>
    public double Sum(string instrument, params string[] tags) =>
        Matching(instrument, tags).Sum(m => m.Value);

    public int Count(string instrument, params string[] tags) => Matching(instrument, tags).Count();

    /// <summary>The last observed value (for gauges).</summary>
    public double Last(string instrument, params string[] tags) => Matching(instrument, tags).Last().Value;

    public IEnumerable<(string Instrument, double Value, Dictionary<string, string?> Tags)> All => _measurements;

    private IEnumerable<(string Instrument, double Value, Dictionary<string, string?> Tags)> Matching(string instrument, string[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t =>
        {
            var (key, value) = (t[..t.IndexOf('=', StringComparison.Ordinal)], t[(t.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            return m.Tags.TryGetValue(key, out var actual) && actual == value;
        }));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }
        _measurements.Enqueue((instrument.Name, value, copy));
    }

    public void Dispose()
    {
        _listener.Dispose();
        Meter.Dispose();
    }
}
