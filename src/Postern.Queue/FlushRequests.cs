namespace Postern.Queue;

/// <summary>
/// Flush requests from <c>postern queue flush</c> to the running daemon: one file per request in
/// <c>spool/flush/</c>, holding the domain (empty for all). The CLI writes each under a temporary
/// name and renames it, so the daemon never reads half a request; the daemon takes them when
/// signalled (SIGUSR1).
/// </summary>
public sealed class FlushRequests
{
    private const string RequestExtension = ".req";
    private const int MaxRequestBytes = 1024;

    public FlushRequests(string spoolDirectory) =>
        Directory = Path.Combine(Path.GetFullPath(spoolDirectory), "flush");

    public string Directory { get; }

    /// <summary>Writes a request for <paramref name="domain"/> (null: every message).</summary>
    public void Submit(string? domain)
    {
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var name = Guid.NewGuid().ToString("N");
        var temp = Path.Combine(Directory, name + ".tmp");
        File.WriteAllText(temp, domain ?? "");
        File.Move(temp, Path.Combine(Directory, name + RequestExtension));
    }

    /// <summary>Removes and returns the pending requests (null = all domains); unreadable ones are dropped.</summary>
    public IReadOnlyList<string?> Take()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        var requests = new List<string?>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + RequestExtension))
        {
            try
            {
                var info = new FileInfo(path);
                var text = info.Length <= MaxRequestBytes ? File.ReadAllText(path).Trim() : null;
                File.Delete(path);
                if (text is not null)
                {
                    requests.Add(text.Length == 0 ? null : text);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Taken by someone else or unreadable: nothing to act on.
            }
        }
        return requests;
    }
}
