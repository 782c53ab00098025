using System.Buffers;
using System.Globalization;
using System.Text;
using Postern.Core.IO;
using Postern.Core.Queueing;

namespace Postern.Delivery.Local;

/// <summary>
/// Writes one message into MailboxRoot/USER/ the Maildir way: into tmp/, fsync, rename into new/,
/// fsync new/. The file name is derived from the queue id and a recipient key
/// (<c>SECONDS.QUEUEID_KEY.HOST,S=SIZE</c>), so a redelivery after a crash replaces the earlier
/// copy instead of adding a second one. The message is streamed, never held in memory.
/// </summary>
internal sealed class MaildirWriter(string mailboxRoot, string hostName)
{
    private const int BufferSize = 64 * 1024;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _hostName = Escape(hostName);

    /// <summary>Delivers <paramref name="prefix"/> then <paramref name="body"/>; returns the path of the file in new/.</summary>
    /// <exception cref="ArgumentException">The user name or recipient key is unsafe.</exception>
    /// <exception cref="IOException">The write failed (disk full...).</exception>
    public async ValueTask<string> DeliverAsync(
        string user,
        QueueId queueId,
        string recipientKey,
        DateTimeOffset receivedAt,
        ReadOnlyMemory<byte> prefix,
        Stream body,
        CancellationToken cancellationToken)
    {
        user = LocalUserName.Normalize(user);
        var maildir = Path.Combine(mailboxRoot, user);
        EnsureMaildir(maildir);

        var baseName = string.Create(
            CultureInfo.InvariantCulture,
            $"{receivedAt.ToUnixTimeSeconds()}.{queueId.Value}_{Escape(recipientKey)}.{_hostName}");
        var tmpPath = Path.Combine(maildir, "tmp", baseName);
        long size;
        try
        {
            size = await WriteAsync(tmpPath, prefix, body, cancellationToken);
        }
        catch
        {
            TryDelete(tmpPath);
            throw;
        }
        var newDirectory = Path.Combine(maildir, "new");
        var finalPath = Path.Combine(newDirectory, string.Create(CultureInfo.InvariantCulture, $"{baseName},S={size}"));
        File.Move(tmpPath, finalPath, overwrite: true);
        DirectorySync.Flush(newDirectory);
        return finalPath;
    }

    private static async ValueTask<long> WriteAsync(string path, ReadOnlyMemory<byte> prefix, Stream body, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
            UnixCreateMode = FileMode600,
        };
        await using var file = new FileStream(path, options);
        await file.WriteAsync(prefix, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        file.Flush(flushToDisk: true);
        return file.Length;
    }

    private static void EnsureMaildir(string maildir)
    {
        var created = false;
        foreach (var sub in (string[])["tmp", "new", "cur"])
        {
            var path = Path.Combine(maildir, sub);
            if (!Directory.Exists(path))
            {
                CreateDirectory(path);
                created = true;
            }
        }
        if (created)
        {
            DirectorySync.Flush(maildir);
        }
    }

    private static void CreateDirectory(string path) => Directory.CreateDirectory(path, DirectoryMode);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind in tmp/: the next attempt with the same name overwrites it.
        }
    }

    /// <summary>Maildir names may not hold '/' or ':' (the info separator); ',' would confuse ",S=".</summary>
    private static string Escape(string part)
    {
        var builder = new StringBuilder(part.Length);
        foreach (var c in part)
        {
            if (c is '/' or ':' or ',' or '\\' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                builder.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
