using System.Security.Cryptography;

namespace Postern.Policy.Users;

/// <summary>
/// A persistent random secret (for <c>SaslServerSettings.Secret</c>: SCRAM's fake salts for unknown
/// users must not change across restarts, or comparing answers would reveal who exists). 32 bytes,
/// created once with mode 0600.
/// </summary>
public static class ServerSecretFile
{
    public const int Length = 32;

    /// <exception cref="IOException">The file cannot be read or created, or has the wrong length.</exception>
    public static byte[] LoadOrCreate(string path)
    {
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            var secret = RandomNumberGenerator.GetBytes(Length);
            using (var stream = new FileStream(path, options))
            {
                stream.Write(secret);
                stream.Flush(flushToDisk: true);
            }
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            return existing.Length == Length
                ? existing
                : throw new IOException($"{path}: the server secret must be {Length} bytes, found {existing.Length}; delete it to make a new one");
        }
    }
}
