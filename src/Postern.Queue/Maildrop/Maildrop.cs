using System.Security.Cryptography;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue.Maildrop;

/// <summary>
/// The pickup directory through which local users who cannot write the spool submit mail
/// (Postfix's maildrop): <c>DATA_DIR/maildrop</c>, owned by the service, mode 1733, so any local
/// user may create a file in it but none may list it or touch another's file. A file there is a
/// spool-format message (<see cref="SpoolFormat"/>) under a random, unguessable name; the daemon's
/// <see cref="MaildropPickup"/> checks it, copies it into the spool and removes it. Submissions
/// wait there safely while no daemon runs.
/// </summary>
public static class Maildrop
{
    public const string DirectoryName = "maildrop";

    /// <summary>Others may create entries (w, x) but not list them (no r); sticky: only their own.</summary>
    public const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute
        | UnixFileMode.StickyBit;

    /// <summary>
    /// A file's name: the submitter's queue id (what <c>sendmail -v</c> printed), so the daemon can
    /// log it beside the id it queues the message under, then 32 random characters of [0-9A-Za-z],
    /// about 190 bits, so no one finds another's file.
    /// </summary>
    public const int NameLength = QueueId.Length + RandomLength;

    /// <summary>The random part alone: the whole name of files written before the id was part of it.</summary>
    public const int RandomLength = 32;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, DirectoryName);

    /// <summary>Creates the directory, or resets its mode, so local users can drop mail into it.</summary>
    public static void EnsureCreated(string directory)
    {
        Directory.CreateDirectory(directory, DirectoryMode);
        // The umask strips bits at creation; the mode is what makes the directory usable at all.
        File.SetUnixFileMode(directory, DirectoryMode);
    }

    /// <summary>
    /// Starts a message in <paramref name="directory"/> for the daemon to pick up. The file is
    /// private (0600) until its commit has made it complete and durable.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The directory does not let this user in.</exception>
    /// <exception cref="DirectoryNotFoundException">No maildrop: the daemon has never run here.</exception>
    public static async ValueTask<IMessageWriter> BeginMessageAsync(string directory, Envelope envelope, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(clock);
        var id = QueueId.New(clock);
        var path = Path.Combine(directory, id.Value + RandomNumberGenerator.GetString(Alphabet, RandomLength));
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 64 * 1024,
            Options = FileOptions.Asynchronous,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        try
        {
            await file.WriteAsync(SpoolFormat.Header(EnvelopeMapper.ToRecord(envelope, clock.GetUtcNow())), cancellationToken);
            return new MaildropWriter(id, path, file);
        }
        catch
        {
            await file.DisposeAsync();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>True for a name <see cref="BeginMessageAsync"/> could have made (or an earlier version, without the id).</summary>
    public static bool IsValidName(string name) =>
        (name.Length is NameLength or RandomLength) && name.All(char.IsAsciiLetterOrDigit);

    /// <summary>The id the submitter was told, from a file's name; null for a name without one.</summary>
    public static QueueId? SubmittedId(string name) =>
        name.Length == NameLength && QueueId.TryParse(name[..QueueId.Length], out var id) ? id : null;
}
