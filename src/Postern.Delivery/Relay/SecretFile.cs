using System.Text;

namespace Postern.Delivery.Relay;

/// <summary>
/// Reads a file that holds passwords (an AuthInfo file, a route's password file): it must not be
/// readable or writable by group or others, as sendmail demands of its authinfo map.
/// </summary>
internal static class SecretFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Largest secret file read: far more than any credential list, small enough to never matter.</summary>
    private const long MaxLength = 1024 * 1024;

    /// <summary>The file's lines; <see cref="AuthInfoFileException"/> naming the file when it is unsafe or unreadable.</summary>
    public static string[] ReadLines(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOthers) != UnixFileMode.None)
            {
                var octal = Convert.ToString((int)mode & 0x1FF, 8);
                throw new AuthInfoFileException($"{path}: holds passwords but has mode 0{octal}, readable or writable by group or others; use chmod 600");
            }
            if (new FileInfo(path).Length > MaxLength)
            {
                throw new AuthInfoFileException($"{path}: larger than {MaxLength / 1024} KiB; is it the right file?");
            }
            return File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuthInfoFileException($"{path}: cannot read: {e.Message}", e);
        }
    }

    /// <summary>The password on the first line of <paramref name="path"/> (a route's <c>auth_password_file</c>).</summary>
    public static string ReadPassword(string path)
    {
        var lines = ReadLines(path);
        if (lines.Length == 0 || lines[0].Length == 0)
        {
            throw new AuthInfoFileException($"{path}: no password on the first line");
        }
        return lines[0];
    }
}
