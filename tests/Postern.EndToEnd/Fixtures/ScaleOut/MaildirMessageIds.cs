namespace Postern.EndToEnd.Fixtures.ScaleOut;

/// <summary>
/// The Message-IDs in every Maildir under a root (Dovecot's <c>ROOT/USER/Maildir/{new,cur}</c>),
/// each with the files that hold it and when they were written: a message delivered twice shows
/// as two files.
/// </summary>
public static class MaildirMessageIds
{
    /// <summary>The header section is read only up to this many bytes: a bounded read.</summary>
    private const int HeaderLimit = 64 * 1024;

    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<FileInfo>>> ReadAsync(string root)
    {
        var found = new Dictionary<string, List<FileInfo>>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return new Dictionary<string, IReadOnlyList<FileInfo>>();
        }
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) is "new" or "cur");
        foreach (var file in files)
        {
            var id = await MessageIdAsync(file);
            if (id is null)
            {
                continue;
            }
            if (!found.TryGetValue(id, out var list))
            {
                found[id] = list = [];
            }
            list.Add(new FileInfo(file));
        }
        return found.ToDictionary(p => p.Key, p => (IReadOnlyList<FileInfo>)p.Value, StringComparer.Ordinal);
    }

    private static async Task<string?> MessageIdAsync(string file)
    {
        var buffer = new char[HeaderLimit];
        int read;
        using (var reader = new StreamReader(file))
        {
            read = await reader.ReadBlockAsync(buffer);
        }
        foreach (var line in new string(buffer, 0, read).Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0)
            {
                return null;
            }
            if (trimmed.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed["Message-ID:".Length..].Trim();
            }
        }
        return null;
    }
}
