using System.Text.Json;
using Postern.Core.IO;

namespace Postern.Queue.Storage;

/// <summary>
/// The append-only journal <c>queue/id.rcpt</c>: one JSON line per recipient outcome, fsynced
/// before the runner moves on, so a restart neither loses a pending recipient nor repeats a
/// delivered one. A line cut short by a crash is ignored (that outcome was never durable).
/// </summary>
internal static class RecipientJournal
{
    /// <summary>The complete, parseable entries; <paramref name="skipped"/> counts malformed lines.</summary>
    public static IReadOnlyList<JournalEntry> Read(string path, out int skipped)
    {
        skipped = 0;
        if (!File.Exists(path))
        {
            // The usual case (a message not yet attempted): a stat, not a thrown exception per message.
            return [];
        }
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            // Removed between the check and the read.
            return [];
        }
        var entries = new List<JournalEntry>();
        var span = content.AsSpan();
        int newline;
        while ((newline = span.IndexOf((byte)'\n')) >= 0)
        {
            var line = span[..newline];
            span = span[(newline + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }
            try
            {
                if (JsonSerializer.Deserialize(line, SpoolJsonContext.Default.JournalEntry) is { } entry)
                {
                    entries.Add(entry);
                    continue;
                }
            }
            catch (JsonException)
            {
                // Counted below.
            }
            skipped++;
        }
        return entries;
    }

    /// <summary>Appends <paramref name="entries"/> and fsyncs; a new journal's directory entry is fsynced too.</summary>
    public static void Append(string path, string directory, IReadOnlyCollection<JournalEntry> entries)
    {
        if (AppendFile(path, entries))
        {
            DirectorySync.Flush(directory);
        }
    }

    /// <summary>
    /// Appends and fsyncs the file only; true when it created the journal, whose directory entry
    /// the caller must then make durable (the spool shares that fsync across commits).
    /// </summary>
    public static bool AppendFile(string path, IReadOnlyCollection<JournalEntry> entries)
    {
        if (entries.Count == 0)
        {
            return false;
        }
        using var buffer = new MemoryStream();
        foreach (var entry in entries)
        {
            JsonSerializer.Serialize(buffer, entry, SpoolJsonContext.Default.JournalEntry);
            buffer.WriteByte((byte)'\n');
        }

        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        bool created;
        using (var file = new FileStream(path, options))
        {
            created = file.Length == 0;
            if (!created)
            {
                // After a torn append the file does not end in '\n': start a fresh line so the
                // new entry is not glued to the fragment and lost with it.
                file.Position = file.Length - 1;
                if (file.ReadByte() != '\n')
                {
                    file.WriteByte((byte)'\n');
                }
            }
            file.Position = file.Length;
            buffer.Position = 0;
            buffer.CopyTo(file);
            file.Flush(flushToDisk: true);
        }
        return created;
    }
}
