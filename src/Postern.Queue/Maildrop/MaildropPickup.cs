using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Core.IO;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue.Maildrop;

/// <summary>What the daemon decides for one maildrop file, given who wrote it.</summary>
public interface IMaildropPolicy
{
    /// <summary>Why this submission may not be queued (an address trick, too many recipients...), or null.</summary>
    string? Refusal(Envelope envelope);

    /// <summary>The trace header naming the submitter by the uid the kernel reports, CRLF-terminated.</summary>
    string TraceHeader(uint userId, QueueId id, Envelope envelope);

    /// <summary>The login name of <paramref name="userId"/> (the uid itself when it has none), which stage handlers see as the authenticated user.</summary>
    string UserName(uint userId);
}

/// <summary>
/// The daemon's side of the <see cref="Maildrop"/>: takes each complete file, checks it as untrusted
/// input (the file is opened safely, its format validated, its envelope checked by the policy, its
/// origin taken from the file's owner, never from its content), copies it into the spool under a
/// new id with a trace header, commits, and only then deletes it; a crash in between can deliver a
/// submission twice but never loses one. A refused or malformed file goes to the spool's corrupt/.
/// With <see cref="Filtering"/>, accepted files pass the local submissions' stage handlers on their way.
/// </summary>
public sealed partial class MaildropPickup(Spool spool, string directory, long maxMessageSize, IMaildropPolicy policy, TimeProvider clock, ILogger<MaildropPickup> logger) : IDisposable
{
    /// <summary>Files taken per pass, so one pass is bounded; the next pass takes the rest.</summary>
    public const int MaxFilesPerPass = 1000;

    /// <summary>A file still incomplete (or unreadable) this long after its last write was abandoned.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);

    // The envelope line is bounded by the recipient limit, so this allowance over the message size is generous.
    private const long EnvelopeAllowance = 4L * 1024 * 1024;

    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>The stage handlers of local submissions, when any are configured; null: files go straight into the spool.</summary>
    public MaildropFiltering? Filtering { get; init; }

    public void Dispose() => _pass.Dispose();

    /// <summary>Imports every complete file present now; returns how many were queued.</summary>
    public async Task<int> PickUpAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var queued = 0;
            foreach (var name in Names())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await TryImportAsync(name, cancellationToken))
                {
                    queued++;
                }
            }
            return queued;
        }
        finally
        {
            _pass.Release();
        }
    }

    private List<string> Names()
    {
        try
        {
            return Directory.EnumerateFiles(directory)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(Maildrop.IsValidName)
                .Take(MaxFilesPerPass)
                .ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private async Task<bool> TryImportAsync(string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, name);
        var limit = (maxMessageSize > 0 ? maxMessageSize : long.MaxValue - EnvelopeAllowance) + EnvelopeAllowance;
        FileStream? file;
        try
        {
            file = UntrustedFile.TryOpen(path, limit, out var status, out var refusal);
            if (file is null)
            {
                HandleUnopened(name, path, refusal);
                return false;
            }
            await using (file)
            {
                return await ImportAsync(name, path, file, status, cancellationToken);
            }
        }
        catch (IOException e)
        {
            // The spool could not take it now (disk full...): the file stays for the next pass.
            LogDeferred(name, e.Message);
            return false;
        }
    }

    private async Task<bool> ImportAsync(string name, string path, FileStream file, UntrustedFile.Status status, CancellationToken cancellationToken)
    {
        SpoolHeader header;
        try
        {
            header = SpoolFormat.Read(file);
        }
        catch (SpoolFormatException e)
        {
            // A file is opened to others only once complete and fsynced, so an invalid open file is
            // forged; a private one is still being written (a daemon running as root reads it anyway).
            if ((status.Mode & UnixFileMode.OtherRead) != 0 || clock.GetUtcNow() - status.Modified > AbandonedAfter)
            {
                Reject(name, path, status.OwnerId, "not a complete submission: " + e.Message);
            }
            return false;
        }
        if (maxMessageSize > 0 && header.BodyLength > maxMessageSize)
        {
            Reject(name, path, status.OwnerId, $"larger than limits.max_message_size ({maxMessageSize} bytes)");
            return false;
        }
        var envelope = header.Envelope with
        {
            Client = new ClientInfo(null, null, "local", "pickup"),
            QuarantineReason = null,
            ReceivedAt = clock.GetUtcNow(),
        };
        if (policy.Refusal(envelope) is { } refusal)
        {
            Reject(name, path, status.OwnerId, refusal);
            return false;
        }
        if (Filtering is { } filtering)
        {
            return await filtering.ImportAsync(name, path, file, header, envelope, status.OwnerId, policy, cancellationToken) == MaildropFiltering.Result.Queued;
        }
        QueueId id;
        await using (var writer = await spool.BeginMessageAsync(envelope, cancellationToken))
        {
            id = writer.Id;
            await writer.Body.WriteAsync(Encoding.UTF8.GetBytes(policy.TraceHeader(status.OwnerId, id, envelope)), cancellationToken);
            // Disposing it closes the file, which is not read after the copy.
            await using var body = new BoundedReadStream(file, header.BodyOffset, header.BodyLength);
            await body.CopyToAsync(writer.Body, cancellationToken);
            if (body.Position != header.BodyLength)
            {
                // The submitter cut its file short while it was being copied.
                throw new IOException("the maildrop file ended early");
            }
            await writer.CommitAsync(cancellationToken);
        }
        File.Delete(path);
        LogQueued(id.Value, Maildrop.SubmittedId(name)?.Value ?? "unknown", name, status.OwnerId, (object?)envelope.Sender ?? "", envelope.Recipients.Count);
        return true;
    }

    /// <summary>
    /// A file that could not be opened: still being written (0600, permission denied), gone, or
    /// something no submitter makes (a symlink, FIFO or hard link), which is removed at once.
    /// </summary>
    private void HandleUnopened(string name, string path, UntrustedFile.Refusal refusal)
    {
        switch (refusal.Kind)
        {
            case UntrustedFile.RefusalKind.NotRegularFile or UntrustedFile.RefusalKind.MultipleLinks:
                LogRemoved(name, refusal.Reason);
                TryDelete(path);
                return;
            case UntrustedFile.RefusalKind.TooLarge:
                MoveToCorrupt(name, path, "unknown", refusal.Reason);
                return;
        }
        try
        {
            if (File.Exists(path) && clock.GetUtcNow() - File.GetLastWriteTimeUtc(path) > AbandonedAfter)
            {
                LogRemoved(name, "abandoned while being written: " + refusal.Reason);
                TryDelete(path);
            }
        }
        catch (IOException)
        {
            // Gone meanwhile.
        }
    }

    private void Reject(string name, string path, uint ownerId, string reason) =>
        MoveToCorrupt(name, path, ownerId.ToString(System.Globalization.CultureInfo.InvariantCulture), reason);

    private void MoveToCorrupt(string name, string path, string owner, string reason)
    {
        var target = Path.Combine(spool.Paths.Corrupt, $"maildrop-{name}");
        try
        {
            File.Move(path, target, overwrite: true);
            LogRejected(name, owner, reason, target);
        }
        catch (IOException e)
        {
            LogRejected(name, owner, reason, "nowhere: " + e.Message);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Tried again on the next pass.
        }
    }

    // Both ids on one line: a user who kept the id sendmail -v printed finds the message's queue id here.
    [LoggerMessage(Level = LogLevel.Information, Message = "{Id}: from maildrop, submitted as {SubmittedId}, file {Name}, uid={Uid}, from=<{Sender}>, nrcpts={Recipients}")]
    private partial void LogQueued(string id, string submittedId, string name, uint uid, object sender, int recipients);

    [LoggerMessage(Level = LogLevel.Warning, Message = "maildrop {Name} from uid {Uid} refused: {Reason}; moved to {Target}")]
    private partial void LogRejected(string name, string uid, string reason, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "maildrop {Name} removed: {Reason}")]
    private partial void LogRemoved(string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "maildrop {Name} not queued now: {Reason}; it stays for the next pass")]
    private partial void LogDeferred(string name, string reason);
}
