using Microsoft.Extensions.Logging;
using Postern.Milter.Telemetry;

namespace Postern.Milter;

/// <summary>
/// What every milter handler shares: the server's host name (the <c>j</c> macro), the clock every
/// timeout runs on, the mail log, the metrics (null: off) and where body replacements wait until
/// the message is in the spool.
/// </summary>
public sealed record MilterEnvironment(string HostName, TimeProvider Clock, ILogger Logger)
{
    /// <summary>The milter instruments; null: metrics are off.</summary>
    public MilterMetrics? Metrics { get; init; }

    /// <summary>Where a milter's replacement body is written as it arrives (a private file, removed when the transaction ends).</summary>
    public string TemporaryDirectory { get; init; } = Path.GetTempPath();
}
