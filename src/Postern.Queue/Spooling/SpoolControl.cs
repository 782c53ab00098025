using Postern.Core.IO;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue.Spooling;

/// <summary>
/// The administrator's changes to queued messages (<c>postern queue hold|release|delete</c>): each
/// is a change of files made durable, so it works with or without a running daemon, which the CLI
/// then nudges.
/// </summary>
public sealed class SpoolControl
{
    private readonly SpoolPaths _paths;
    private readonly HoldMarkers _holds;

    internal SpoolControl(SpoolPaths paths, HoldMarkers holds)
    {
        _paths = paths;
        _holds = holds;
    }

    /// <summary>
    /// Puts a message on hold: the runner does not attempt it until <see cref="ReleaseHold"/>.
    /// False when there is no such message.
    /// </summary>
    public bool Hold(QueueId id)
    {
        if (!Exists(id))
        {
            return false;
        }
        _holds.Place(id);
        if (!Exists(id))
        {
            // Delivered or deleted meanwhile: do not leave a marker behind.
            _holds.Remove(id);
            return false;
        }
        return true;
    }

    /// <summary>Takes a message off hold; false when there is no such message. Releasing a message not on hold is not an error.</summary>
    public bool ReleaseHold(QueueId id)
    {
        var held = _holds.Exists(id);
        _holds.Remove(id);
        if (held)
        {
            DirectorySync.Flush(_paths.Queue);
        }
        return Exists(id);
    }

    /// <summary>
    /// Deletes a message, its journal and its hold marker, without a bounce; false when there is
    /// no such message. Safe beside a running attempt: the message file goes first (one unlink,
    /// made durable), and the runner re-checks that it exists before journaling or bouncing, so
    /// it drops the message instead. A delivery already under way completes (the peer may have it).
    /// </summary>
    public bool Delete(QueueId id)
    {
        var path = _paths.Message(id);
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            File.Delete(path);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        DirectorySync.Flush(_paths.Queue);
        File.Delete(_paths.Journal(id));
        _holds.Remove(id);
        return true;
    }

    private bool Exists(QueueId id) => File.Exists(_paths.Message(id));
}
