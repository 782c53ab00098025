using System.Text;
using Postern.Core.IO;
using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>
/// The hold markers <c>queue/id.hold</c>: while one exists the runner does not attempt its
/// message. A marker is a file of its own beside the message, so holding never rewrites the
/// message file; a quarantined message's marker holds the reason.
/// </summary>
internal sealed class HoldMarkers(SpoolPaths paths)
{
    public bool Exists(QueueId id) => File.Exists(paths.Hold(id));

    /// <summary>Creates the (empty) marker with one open call and makes its directory entry durable; an existing one is kept.</summary>
    public void Place(QueueId id)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (new FileStream(paths.Hold(id), options))
        {
        }
        DirectorySync.Flush(paths.Queue);
    }

    /// <summary>
    /// Creates the marker of a message being committed in quarantine, with the reason as its
    /// content, and makes it durable (file and directory) before the caller renames the message
    /// into queue/. Until then the marker has no message: recovery leaves markers of messages still
    /// being written alone.
    /// </summary>
    public void PlaceDurably(QueueId id, string reason)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        try
        {
            using (var file = new FileStream(paths.Hold(id), options))
            {
                file.Write(Encoding.UTF8.GetBytes(HoldReason.Clean(reason) + "\n"));
                file.Flush(flushToDisk: true);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            // A storage failure like any other: the session answers 4xx.
            throw new IOException($"{id}: cannot create the hold marker: {ex.Message}", ex);
        }
        DirectorySync.Flush(paths.Queue);
    }

    /// <summary>The quarantine reason in a marker; null when not held or held without a reason (<c>postern queue hold</c>).</summary>
    public string? ReadReason(QueueId id)
    {
        try
        {
            using var file = new FileStream(paths.Hold(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[HoldReason.MaxBytes];
            var length = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var text = HoldReason.Clean(Encoding.UTF8.GetString(buffer, 0, length));
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes the marker; one that does not exist is not an error.</summary>
    public void Remove(QueueId id) => File.Delete(paths.Hold(id));
}
