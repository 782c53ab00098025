namespace Postern.Tools.Sendmail;

/// <summary>
/// The name this process was invoked as. A symlink <c>sendmail</c> → <c>postern</c> keeps its name
/// only in argv[0], which .NET does not expose (it reports the resolved binary), so it is read
/// from <c>/proc/self/cmdline</c>.
/// </summary>
public static class Personality
{
    public static readonly string[] Names = ["sendmail", "mailq", "newaliases"];

    /// <summary>sendmail, mailq or newaliases when invoked under that name; otherwise null.</summary>
    public static string? FromProcess()
    {
        string argv0;
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            var end = Array.IndexOf(cmdline, (byte)0);
            argv0 = System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
        return FromName(argv0);
    }

    /// <summary>The personality for an argv[0] such as <c>/usr/sbin/sendmail</c>; null for any other name.</summary>
    public static string? FromName(string argv0)
    {
        var name = Path.GetFileName(argv0);
        return Names.FirstOrDefault(n => n == name);
    }
}
