namespace Postern.Hosting;

/// <summary>
/// The private directory (mode 0700, under the data directory) where a message waits while stage
/// handlers may still edit it, and where a milter's replacement body is written as it arrives:
/// on the spool's file system rather than in /tmp, which may be memory. Nothing in it was ever
/// acknowledged (a message is answered 250 only once its spool file is committed), so whatever a
/// crash left there is removed at start.
/// </summary>
internal static class HeldDirectory
{
    public const string Name = "held";

    /// <summary>Creates the directory if needed, empties it, and returns its path.</summary>
    public static string Prepare(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, Name);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var leftover in Directory.EnumerateFiles(path))
        {
            File.Delete(leftover);
        }
        return path;
    }
}
