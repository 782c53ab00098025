using Postern.Config;

namespace Postern.Cli;

/// <summary>
/// The one answer for a user who may not read the spool (it is 0700, owned by the daemon's user):
/// a refusal naming the directory with EX_NOPERM, never an empty queue.
/// </summary>
internal static class QueuePermission
{
    public static int Denied(TextWriter error, string spoolDirectory)
    {
        error.WriteLine($"postern: queue: {spoolDirectory}: permission denied (only root and the owner of the data directory may read the queue)");
        return ExitCodes.NoPermission;
    }
}
