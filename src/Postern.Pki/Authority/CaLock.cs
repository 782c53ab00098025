namespace Postern.Pki.Authority;

/// <summary>An exclusive lock on the CA directory (flock through FileShare.None) while serial and index change.</summary>
internal static class CaLock
{
    public static FileStream Acquire(CaLayout layout)
    {
        try
        {
            return new FileStream(layout.LockFile, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = SecureFile.PrivateMode,
            });
        }
        catch (IOException e)
        {
            throw new CaException(CaErrorKind.Io, $"{layout.LockFile}: the CA is in use by another command, or the lock cannot be taken: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CaException(CaErrorKind.Io, $"{layout.LockFile}: cannot lock the CA: {e.Message}", e);
        }
    }
}
