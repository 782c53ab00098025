namespace Postern.Filters.Dkim;

/// <summary>Reads and writes DKIM private key files: bounded reads, mode 0600 on write, never over an existing file.</summary>
public static class DkimKeyFile
{
    /// <summary>A PEM key of 8192 bits is under 7 KB; anything far larger is not a key.</summary>
    private const int MaxFileSize = 64 * 1024;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Reads the key in <paramref name="path"/>.</summary>
    /// <exception cref="DkimKeyException">The file cannot be read or holds no usable key; the message does not repeat the path.</exception>
    public static DkimPrivateKey Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileSize)
            {
                throw new DkimKeyException($"is {stream.Length} bytes, too large for a key file");
            }
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DkimKeyException("no such file", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DkimKeyException("cannot be read: permission denied", e);
        }
        catch (IOException e)
        {
            throw new DkimKeyException("cannot be read: " + e.Message, e);
        }
        return DkimPrivateKey.FromPem(text);
    }

    /// <summary>
    /// Writes <paramref name="key"/> as PKCS#8 PEM to a new file of mode 0600.
    /// </summary>
    /// <exception cref="IOException">The file exists (it is never overwritten) or cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static void Write(string path, DkimPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(key);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(key.ToPem());
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The warning for a key file that group or others may read or change; null when only the owner may.</summary>
    public static string? PermissionWarning(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if ((mode & GroupOrOther) == 0)
        {
            return null;
        }
        var octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
        return $"the DKIM key {path} has mode {octal}: group or others can read it and sign as the domain; chmod 600 it";
    }
}
