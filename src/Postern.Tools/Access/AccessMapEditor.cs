using System.Text;
using Postern.Config;
using Postern.Core.IO;
using Postern.Database;
using Postern.Policy.Access;
using Postern.Policy.Users;

namespace Postern.Tools.Access;

/// <summary>
/// <c>postern access add|remove KEY [VALUE]</c> and <c>postern cert access-entry --apply</c>: one
/// entry of the access map changed where the configuration keeps it. The line is checked by the
/// access map's own parser first. In a file the first line with the same key (as the map compares
/// keys) is replaced and later ones, which it shadowed, are dropped; comments stay; the file is
/// written under a lock to a temporary file, fsynced and renamed, as the users file is. In a
/// <c>pgsql:</c> table the row's key is <see cref="AccessTableKey"/>'s spelling, the one the
/// readers ask for, and its trigger
/// tells every node.
/// </summary>
public sealed class AccessMapEditor
{
    private const string Prefix = "postern: access: ";

    private readonly string? _file;
    private readonly MapTableWriter? _table;

    private AccessMapEditor(string? file, MapTableWriter? table)
    {
        _file = file;
        _table = table;
    }

    /// <summary>Edits the access map file at <paramref name="path"/> (created when missing).</summary>
    public static AccessMapEditor ForFile(string path) => new(Path.GetFullPath(path), null);

    /// <summary>Edits the access map table <paramref name="table"/>.</summary>
    public static AccessMapEditor ForTable(MapTableWriter table) => new(null, table ?? throw new ArgumentNullException(nameof(table)));

    /// <summary>How the configuration names the map.</summary>
    public string Name => _table?.Name ?? _file!;

    /// <summary>How long to wait for another writer's lock on the file.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock the lock wait is measured on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    public int Add(string key, string value, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (Check(key, value, error) is not { } entry || !AccessTableKey.TryNormalize(key, out var tableKey, out _))
        {
            return ExitCodes.DataError;
        }
        return Write(error, lines =>
        {
            var first = lines.FindIndex(line => KeyOf(line) == tableKey);
            var text = key + "\t" + entry.Value;
            if (first < 0)
            {
                lines.Add(text);
            }
            else
            {
                lines[first] = text;
                RemoveFrom(lines, first + 1, tableKey);
            }
            return true;
        }, table =>
        {
            table.Put(tableKey, entry.Value);
            return true;
        }, () => output.WriteLine($"{Name}: {tableKey} {entry.Value}"));
    }

    /// <summary>Removes <paramref name="key"/>; <see cref="ExitCodes.NoInput"/> when the map has no such key.</summary>
    public int Remove(string key, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!AccessTableKey.TryNormalize(key, out var tableKey, out var problem))
        {
            error.WriteLine($"{Prefix}{key}: {problem}");
            return ExitCodes.DataError;
        }
        var result = Write(error, lines => RemoveFrom(lines, 0, tableKey) > 0, table => table.Remove(tableKey), () => output.WriteLine($"{Name}: removed {tableKey}"));
        if (result == ExitCodes.NoInput)
        {
            error.WriteLine($"{Prefix}{Name} has no entry {tableKey}");
        }
        return result;
    }

    /// <summary>The entry the line KEY VALUE makes, or null after writing the parser's complaint.</summary>
    private static AccessEntry? Check(string key, string value, TextWriter error)
    {
        if (key.Length == 0 || key.Any(char.IsWhiteSpace) || value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            error.WriteLine($"{Prefix}the key is one word and the value one line");
            return null;
        }
        try
        {
            return AccessMapParser.Parse(key + " " + value, "entry").Entries.Single();
        }
        catch (AccessMapException e)
        {
            foreach (var problem in e.Errors)
            {
                error.WriteLine(Prefix + (problem.StartsWith("entry:1: ", StringComparison.Ordinal) ? problem["entry:1: ".Length..] : problem));
            }
            return null;
        }
    }

    private int Write(TextWriter error, Func<List<string>, bool> editFile, Func<MapTableWriter, bool> editTable, Action done)
    {
        if (_table is not null)
        {
            try
            {
                if (!editTable(_table))
                {
                    return ExitCodes.NoInput;
                }
            }
            catch (DatabaseCommandException e)
            {
                error.WriteLine($"{Prefix}{e.Message}; nothing changed");
                return ExitCodes.TempFail;
            }
            done();
            return ExitCodes.Ok;
        }
        try
        {
            using var fileLock = UserFileLock.Acquire(_file!, LockTimeout, Time);
            var lines = File.Exists(_file) ? [.. File.ReadAllText(_file, Encoding.UTF8).Split('\n')] : new List<string>();
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }
            if (!editFile(lines))
            {
                return ExitCodes.NoInput;
            }
            // The whole result must still load: the daemon would refuse a map with a bad line.
            var text = string.Concat(lines.Select(l => l + "\n"));
            AccessMapParser.Parse(text, _file!);
            Replace(_file!, text);
        }
        catch (AccessMapException e)
        {
            foreach (var problem in e.Errors)
            {
                error.WriteLine(problem);
            }
            error.WriteLine($"{Prefix}{_file} does not load; nothing changed");
            return ExitCodes.DataError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{Prefix}{_file}: {e.Message}; nothing changed");
            return ExitCodes.CannotCreate;
        }
        done();
        return ExitCodes.Ok;
    }

    /// <summary>Removes the lines from <paramref name="start"/> on whose key is <paramref name="tableKey"/>; how many.</summary>
    private static int RemoveFrom(List<string> lines, int start, string tableKey)
    {
        var removed = 0;
        for (var i = lines.Count - 1; i >= start; i--)
        {
            if (KeyOf(lines[i]) == tableKey)
            {
                lines.RemoveAt(i);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>The table spelling of a file line's key; null for comments, blank and unparsable lines.</summary>
    private static string? KeyOf(string line)
    {
        var trimmed = line.TrimEnd('\r').Trim(' ', '\t');
        if (trimmed.Length == 0 || trimmed[0] == '#')
        {
            return null;
        }
        var end = trimmed.AsSpan().IndexOfAny(' ', '\t');
        return AccessTableKey.TryNormalize(end < 0 ? trimmed : trimmed[..end], out var tableKey, out _) ? tableKey : null;
    }

    /// <summary>Temporary file in the same directory (the old file's mode, else 0644), fsynced, renamed over, directory fsynced.</summary>
    private static void Replace(string path, string text)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var mode = File.Exists(path)
            ? File.GetUnixFileMode(path)
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        DurableFile.Replace(path, Path.Combine(directory, "." + Path.GetFileName(path) + ".tmp-" + Guid.NewGuid().ToString("N")), Encoding.UTF8.GetBytes(text), mode);
    }
}

/// <summary>Where the configuration keeps the access map, for the commands that change it.</summary>
public static class AccessMapTarget
{
    /// <summary>The configuration key of the access map.</summary>
    public const string Key = "policy.access_map";

    /// <summary>
    /// Runs <paramref name="work"/> with an editor for the configured access map: the
    /// <c>pgsql:</c> table when <c>policy.access_map</c> names one, else the file; one line and
    /// <see cref="ExitCodes.Config"/> when none is configured.
    /// </summary>
    public static int Run(PosternConfiguration configuration, TextWriter error, Func<AccessMapEditor, int> work)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(work);
        if (configuration.DatabaseMaps.FirstOrDefault(use => use.Key == Key) is { } use && configuration.Database is { } options)
        {
            using var source = DatabaseConnection.CreatePool(options with { MaxConnections = 1 });
            return work(AccessMapEditor.ForTable(new MapTableWriter(source, use.Table)));
        }
        if (configuration.RelayPolicy.AccessMapFile is { } file)
        {
            return work(AccessMapEditor.ForFile(file));
        }
        error.WriteLine($"postern: access: {configuration.Source} sets no {Key}: set it to a file or pgsql:TABLE");
        return ExitCodes.Config;
    }
}
