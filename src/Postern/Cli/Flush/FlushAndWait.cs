using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Queue;

namespace Postern.Cli.Flush;

/// <summary>
/// <c>postern queue flush --wait</c>: notes the messages the flush covers, asks the daemon (as
/// <see cref="QueueControl.Flush"/> does), then shows how many are still waiting for their attempt
/// every <see cref="FlushWaiter.PollInterval"/> until none is, or <c>--timeout</c> has passed
/// (exit 75, like a flush without a daemon: the messages are still queued and retried).
/// </summary>
internal static class FlushAndWait
{
    public static async Task<int> RunAsync(
        string? domain, QueueOptions queue, string dataDirectory, TimeSpan timeout, FlushProgress progress, TimeProvider time,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(progress);
        if (domain is not null)
        {
            domain = QueueControl.NormalizeDomain(domain, error);
            if (domain is null)
            {
                return ExitCodes.Usage;
            }
        }
        Spool? spool;
        FlushBacklog backlog;
        try
        {
            spool = Spool.OpenExisting(queue, time, NullLogger<Spool>.Instance);
            // Streamed: a deep queue is never held whole, here or at each count below.
            backlog = spool is null ? FlushBacklog.Take([], domain) : await Task.Run(() => FlushBacklog.Take(spool.Inspection.Inspect(cancellationToken), domain), cancellationToken);
        }
        catch (UnauthorizedAccessException)
        {
            return QueuePermission.Denied(error, queue.SpoolDirectory);
        }
        catch (IOException e)
        {
            error.WriteLine($"postern: queue: cannot read {queue.SpoolDirectory}: {e.Message}");
            return ExitCodes.IoError;
        }
        var requested = QueueControl.Flush(domain, queue, dataDirectory, output, error);
        if (requested != ExitCodes.Ok)
        {
            return requested;
        }
        if (spool is null || backlog.Total == 0)
        {
            output.WriteLine("flush: no message to attempt");
            return ExitCodes.Ok;
        }
        var waiter = new FlushWaiter(
            token => Task.Run(() => backlog.Left(spool.Inspection.Inspect(token)), token),
            progress,
            time);
        int left;
        try
        {
            left = await waiter.WaitAsync(backlog.Total, timeout, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            progress.Finish($"postern: queue: cannot read {queue.SpoolDirectory}: {e.Message}");
            return ExitCodes.IoError;
        }
        if (left == 0)
        {
            progress.Finish(string.Create(CultureInfo.InvariantCulture, $"flushed: {Messages(backlog.Total)} attempted"));
            return ExitCodes.Ok;
        }
        progress.Finish(string.Create(CultureInfo.InvariantCulture,
            $"postern: queue: flush: {left} of {Messages(backlog.Total)} not attempted yet after {DurationSyntax.Format(timeout)}; they stay queued"));
        return ExitCodes.TempFail;
    }

    private static string Messages(int count) => count == 1 ? "1 message" : $"{count} messages";
}
