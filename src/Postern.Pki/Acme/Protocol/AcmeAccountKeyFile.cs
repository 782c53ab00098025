using System.Security.Cryptography;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// account.key: the ACME account's private key as PKCS#8 PEM, mode 0600. Created once (never over
/// an existing file, so an account is never lost to a race or a typo); loaded as ECDSA P-256 or RSA,
/// which also takes keys made by certbot or lego ("EC PRIVATE KEY", "RSA PRIVATE KEY").
/// </summary>
public static class AcmeAccountKeyFile
{
    private const int MaxKeyFileBytes = 64 * 1024;

    /// <summary>Loads the key at <paramref name="path"/>, or creates a new ECDSA P-256 key there when there is no file.</summary>
    /// <param name="path">account.key in the ACME directory.</param>
    /// <param name="created">Whether the key is new (and so is the account it will register).</param>
    /// <exception cref="AcmeException">The file cannot be read, is not a usable key, or cannot be written.</exception>
    public static AcmeAccountKey LoadOrCreate(string path, out bool created)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            created = false;
            return Load(path);
        }
        var key = AcmeAccountKey.CreateEcdsa();
        try
        {
            Write(path, key.ExportPkcs8Pem());
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the key first: theirs is the account.
            key.Dispose();
            created = false;
            return Load(path);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        created = true;
        return key;
    }

    /// <exception cref="AcmeException">The file cannot be read or holds no ECDSA P-256 or RSA private key.</exception>
    public static AcmeAccountKey Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string pem;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxKeyFileBytes)
            {
                throw new AcmeException($"{path}: larger than {MaxKeyFileBytes / 1024} KiB, not an account key");
            }
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AcmeException($"{path}: cannot read the ACME account key: {e.Message}", inner: e);
        }
        return Parse(pem, path);
    }

    /// <summary>The key in <paramref name="pem"/>; <paramref name="source"/> names it in errors.</summary>
    public static AcmeAccountKey Parse(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new AcmeException($"{source}: no PEM private key in it");
        }
        var label = pem[fields.Label];
        try
        {
            switch (label)
            {
                case "EC PRIVATE KEY":
                    return Ecdsa(pem, source);
                case "RSA PRIVATE KEY":
                    return Rsa(pem);
                case "PRIVATE KEY":
                    return Pkcs8(pem, source);
                default:
                    throw new AcmeException($"{source}: a PEM {label} block is not a private key");
            }
        }
        catch (CryptographicException e)
        {
            throw new AcmeException($"{source}: the account key cannot be read: {e.Message}", inner: e);
        }
        catch (ArgumentException e)
        {
            throw new AcmeException($"{source}: {e.Message}", inner: e);
        }
    }

    private static AcmeAccountKey Pkcs8(string pem, string source)
    {
        try
        {
            return Ecdsa(pem, source);
        }
        catch (CryptographicException)
        {
            return Rsa(pem);
        }
    }

    private static AcmeAccountKey Ecdsa(string pem, string source)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return AcmeAccountKey.FromEcdsa(key);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new AcmeException($"{source}: {e.Message}", inner: e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static AcmeAccountKey Rsa(string pem)
    {
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
            return AcmeAccountKey.FromRsa(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static void Write(string path, string pem)
    {
        // Written whole to a temporary file first, then linked into place without replacing
        // anything, so a crash leaves no half key and an existing key is never overwritten.
        var temporary = path + ".new-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        try
        {
            using (var file = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                file.Write(System.Text.Encoding.ASCII.GetBytes(pem));
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            if (File.Exists(path))
            {
                throw;
            }
            throw new AcmeException($"{path}: cannot create the ACME account key: {e.Message}", inner: e);
        }
        Postern.Core.IO.DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
