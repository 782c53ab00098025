namespace Postern.Core.Queueing;

/// <summary>Asks the queue runner to act now rather than on its schedule (ETRN, `postern queue flush`).</summary>
public interface IQueueControl
{
    /// <summary>
    /// Schedules an immediate attempt for every queued message that is not on hold, or only those
    /// with a pending recipient in <paramref name="domain"/> (and its subdomains); returns how many.
    /// </summary>
    ValueTask<int> FlushAsync(string? domain, CancellationToken cancellationToken);
}
