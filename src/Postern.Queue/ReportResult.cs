namespace Postern.Queue;

/// <summary>How handing a report to the bounce sink ended.</summary>
internal enum ReportResult
{
    /// <summary>Handed over and journaled (or nothing to report).</summary>
    Done,

    /// <summary>The sink threw: nothing journaled, to be tried again.</summary>
    Failed,

    /// <summary>The message was deleted meanwhile.</summary>
    Gone,
}
