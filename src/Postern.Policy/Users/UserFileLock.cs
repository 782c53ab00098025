namespace Postern.Policy.Users;

/// <summary>
/// Serializes read-modify-write of the users file between <c>postern user</c> runs: an exclusive
/// open of <c>FILE.lock</c> (flock on Linux). The daemon only reads and does not take it.
/// </summary>
public sealed class UserFileLock : IDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _stream;

    private UserFileLock(FileStream stream) => _stream = stream;

    /// <exception cref="IOException">Another process held the lock for the whole <paramref name="timeout"/>, measured on <paramref name="time"/>.</exception>
    public static UserFileLock Acquire(string usersFile, TimeSpan timeout, TimeProvider time)
    {
        var path = usersFile + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                var options = new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.None,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                };
                return new UserFileLock(new FileStream(path, options));
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                // A CLI command with nothing else to do: a short blocking pause between tries.
                Task.Delay(RetryPause, time).GetAwaiter().GetResult();
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
