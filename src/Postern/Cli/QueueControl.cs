using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Tools.Daemon;

namespace Postern.Cli;

/// <summary>
/// <c>postern queue hold|release|delete ID</c> and <c>flush [DOMAIN]</c>. Hold, release and delete
/// change the spool's files directly (no daemon needed) and then nudge a running daemon so it
/// notices at once; flush needs the daemon (it is the one delivering) and reaches it through a
/// request file and SIGUSR1.
/// </summary>
internal static class QueueControl
{
    public static int Change(QueueAction action, string idText, QueueOptions queue, string dataDirectory, TextWriter output, TextWriter error)
    {
        if (!QueueId.TryParse(idText, out var id))
        {
            error.WriteLine($"postern: queue: {idText} is not a queue id (16 letters and digits)");
            return ExitCodes.Usage;
        }
        bool found;
        try
        {
            var spool = Spool.OpenExisting(queue, TimeProvider.System, NullLogger<Spool>.Instance);
            found = spool is not null && action switch
            {
                QueueAction.Hold => spool.Control.Hold(id),
                QueueAction.Release => spool.Control.ReleaseHold(id),
                _ => spool.Control.Delete(id),
            };
        }
        catch (UnauthorizedAccessException)
        {
            return QueuePermission.Denied(error, queue.SpoolDirectory);
        }
        catch (IOException e)
        {
            error.WriteLine($"postern: queue: cannot change {queue.SpoolDirectory}: {e.Message}");
            return ExitCodes.IoError;
        }
        if (!found)
        {
            error.WriteLine($"postern: queue: no message {id.Value} in the queue");
            return ExitCodes.NoUser;
        }
        var done = action switch
        {
            QueueAction.Hold => "held",
            QueueAction.Release => "released",
            _ => "deleted",
        };
        output.WriteLine($"{id.Value}: {done}");
        // Best effort: without a daemon (or a stale pid file) the change simply waits for the next start.
        if (PidFile.FindDaemon(dataDirectory, out _) is { } pid)
        {
            PidFile.Signal(pid);
        }
        return ExitCodes.Ok;
    }

    public static int Flush(string? domain, QueueOptions queue, string dataDirectory, TextWriter output, TextWriter error)
    {
        if (domain is not null)
        {
            domain = NormalizeDomain(domain, error);
            if (domain is null)
            {
                return ExitCodes.Usage;
            }
        }
        if (PidFile.FindDaemon(dataDirectory, out var problem) is not { } pid)
        {
            error.WriteLine($"postern: queue: no running postern ({problem}); messages are attempted when it starts");
            return ExitCodes.TempFail;
        }
        try
        {
            new FlushRequests(queue.SpoolDirectory).Submit(domain);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"postern: queue: cannot write a flush request in {queue.SpoolDirectory}: {e.Message}");
            return ExitCodes.IoError;
        }
        if (!PidFile.Signal(pid))
        {
            error.WriteLine($"postern: queue: no running postern (cannot signal process {pid})");
            return ExitCodes.TempFail;
        }
        output.WriteLine(domain is null ? "flush requested for all messages" : $"flush requested for {domain}");
        return ExitCodes.Ok;
    }

    /// <summary>A flush domain as the runner matches it (no @, no trailing dot); null, and the problem written, when it is not a domain name.</summary>
    internal static string? NormalizeDomain(string domain, TextWriter error)
    {
        var normalized = domain.Trim().TrimStart('@').TrimEnd('.');
        if (!HostNameSyntax.IsValid(normalized))
        {
            error.WriteLine($"postern: queue: {normalized} is not a domain name");
            return null;
        }
        return normalized;
    }
}
