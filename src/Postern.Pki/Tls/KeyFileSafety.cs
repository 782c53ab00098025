namespace Postern.Pki.Tls;

/// <summary>
/// sendmail refuses or warns about key files others can read; Postern warns: a key readable or
/// writable by group or others is a key that may already be someone else's.
/// </summary>
public static class KeyFileSafety
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>A warning when <paramref name="path"/> is group/other readable or writable; null when safe or unreadable (loading reports that).</summary>
    public static string? Check(string path)
    {
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var exposed = mode & GroupOrOthers;
        if (exposed == UnixFileMode.None)
        {
            return null;
        }
        var octal = Convert.ToString((int)mode & 0x1FF, 8);
        return $"{path}: private key file has mode 0{octal}, readable or writable by group or others; use chmod 600 (or 400)";
    }
}
