using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>
/// The spool layout: tmp/ (being written), queue/ (committed <c>id.msg</c>, its <c>id.rcpt</c>
/// journal and, while held, <c>id.hold</c>), corrupt/. Paths are built only from validated <see cref="QueueId"/>s.
/// </summary>
internal sealed class SpoolPaths
{
    public const string MessageExtension = ".msg";
    public const string JournalExtension = ".rcpt";
    public const string HoldExtension = ".hold";

    public SpoolPaths(string root)
    {
        Root = Path.GetFullPath(root);
        Tmp = Path.Combine(Root, "tmp");
        Queue = Path.Combine(Root, "queue");
        Corrupt = Path.Combine(Root, "corrupt");
    }

    public string Root { get; }

    public string Tmp { get; }

    public string Queue { get; }

    public string Corrupt { get; }

    public string TempMessage(QueueId id) => Path.Combine(Tmp, Checked(id) + MessageExtension);

    public string Message(QueueId id) => Path.Combine(Queue, Checked(id) + MessageExtension);

    public string Journal(QueueId id) => Path.Combine(Queue, Checked(id) + JournalExtension);

    /// <summary>The marker whose existence holds the message (the runner does not attempt it).</summary>
    public string Hold(QueueId id) => Path.Combine(Queue, Checked(id) + HoldExtension);

    /// <summary>The id a queue/ file name stands for, or false for any name Postern did not write.</summary>
    public static bool TryParseFileName(string fileName, string extension, out QueueId id)
    {
        id = default;
        return fileName.EndsWith(extension, StringComparison.Ordinal)
            && QueueId.TryParse(fileName[..^extension.Length], out id);
    }

    public void EnsureCreated()
    {
        foreach (var directory in (string[])[Root, Tmp, Queue, Corrupt])
        {
            // Mail is private: only the Postern user may list or read the spool.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // A default QueueId throws here; a parsed one has passed validation already. Re-check anyway:
    // this is the single place ids become paths.
    private static string Checked(QueueId id) =>
        QueueId.IsValid(id.Value) ? id.Value : throw new ArgumentException("invalid queue id", nameof(id));
}
