using Microsoft.Extensions.Logging;
using Postern.Core.Auth;

namespace Postern.Policy.Users;

/// <summary>
/// The users file as an <see cref="IUserDirectory"/>. Each lookup compares the file's modification
/// time and length with those of the loaded copy and reads it again when they differ, so
/// <c>postern user</c> takes effect without a restart or signal. The file is replaced by rename,
/// so a read sees the old or the new file whole. A file that no longer parses keeps the last good
/// users (and is logged); with no good copy yet, lookups throw and the mechanisms answer 454.
/// </summary>
public sealed partial class UserStore : IUserDirectory
{
    private readonly string _path;
    private readonly ILogger<UserStore> _logger;
    private readonly Lock _gate = new();
    private Snapshot? _current;
    private FileStamp? _failedStamp;

    public UserStore(string path, ILogger<UserStore> logger)
    {
        _path = path;
        _logger = logger;
    }

    public string Path => _path;

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var users = Current().ByName;
        return ValueTask.FromResult(users.TryGetValue(name, out var user) ? user : null);
    }

    public ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fingerprintSha256);
        var fingerprint = fingerprintSha256.ToLowerInvariant();
        var user = Current().Users.FirstOrDefault(u => !u.Disabled && u.CertificateFingerprints.Contains(fingerprint, StringComparer.Ordinal));
        return ValueTask.FromResult(user);
    }

    /// <summary>The users now, reloaded if the file changed.</summary>
    /// <exception cref="UserFileException">The file has never loaded and does not parse.</exception>
    /// <exception cref="IOException">The file has never loaded and cannot be read.</exception>
    public IReadOnlyList<UserRecord> Users => Current().Users;

    private Snapshot Current()
    {
        var stamp = FileStamp.Of(_path);
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Stamp == stamp)
        {
            return current;
        }
        lock (_gate)
        {
            current = _current;
            if (current is not null && (current.Stamp == stamp || _failedStamp == stamp))
            {
                return current;
            }
            try
            {
                // Stamp before reading: a change during the read shows as a new stamp next time.
                var loaded = new Snapshot(stamp, UserFile.Read(_path));
                Volatile.Write(ref _current, loaded);
                _failedStamp = null;
                if (current is not null)
                {
                    LogReloaded(_path, loaded.Users.Count);
                }
                return loaded;
            }
            catch (Exception e) when (current is not null && e is UserFileException or IOException)
            {
                _failedStamp = stamp;
                LogReloadFailed(_path, current.Users.Count, e.Message);
                return current;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "users file {Path} reloaded: {Count} user(s)")]
    private partial void LogReloaded(string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "users file {Path} not reloaded, keeping the previous {Count} user(s): {Errors}")]
    private partial void LogReloadFailed(string path, int count, string errors);

    private sealed record Snapshot
    {
        public Snapshot(FileStamp stamp, IReadOnlyList<UserRecord> users)
        {
            Stamp = stamp;
            Users = users;
            ByName = users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
        }

        public FileStamp Stamp { get; }

        public IReadOnlyList<UserRecord> Users { get; }

        public Dictionary<string, UserRecord> ByName { get; }
    }

    private readonly record struct FileStamp(bool Exists, DateTime LastWriteUtc, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(true, info.LastWriteTimeUtc, info.Length) : default;
        }
    }
}
