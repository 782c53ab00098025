using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Postern.Delivery.Aliases;

/// <summary>
/// A parsed sendmail aliases(5) file: <c>name: value, value, ...</c>, <c>#</c> comments, blank
/// lines, continuation lines starting with a space or tab. Names are case-insensitive; values are
/// local names, <c>\user</c>, <c>user@domain</c>, <c>:include:/path</c>, <c>"|command"</c> and
/// <c>/path/file</c> (the last two only when allowed). Immutable: reloading parses a new one.
/// </summary>
public sealed class AliasesFile
{
    public const int MaxLineBytes = LogicalLineReader.MaxLineBytes;

    /// <summary>Larger aliases files are refused outright: they are certainly a mistake.</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    /// <summary>:include: files are read at each expansion, so they are kept smaller.</summary>
    public const long MaxIncludeBytes = 1024L * 1024;

    private readonly FrozenDictionary<string, AliasEntry> _entries;

    private AliasesFile(string path, FrozenDictionary<string, AliasEntry> entries)
    {
        Path = path;
        _entries = entries;
    }

    /// <summary>The file it was read from (or the name given to <see cref="Parse"/>).</summary>
    public string Path { get; }

    /// <summary>The aliases by lowercased name.</summary>
    public IReadOnlyDictionary<string, AliasEntry> Entries => _entries;

    public bool TryGet(string name, [NotNullWhen(true)] out AliasEntry? entry) => _entries.TryGetValue(name, out entry);

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="AliasesParseException">The file has errors; all of them are listed, with line numbers.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static AliasesFile Load(string path, bool allowPipes, bool allowFiles) =>
        Parse(ReadCapped(path, MaxFileBytes), path, allowPipes, allowFiles);

    /// <summary>Parses aliases file content; <paramref name="fileName"/> names it in errors.</summary>
    /// <exception cref="AliasesParseException">The content has errors.</exception>
    public static AliasesFile Parse(ReadOnlySpan<byte> content, string fileName, bool allowPipes, bool allowFiles)
    {
        var context = new AliasesParseContext(fileName, allowPipes, allowFiles);
        if (content.Length > MaxFileBytes)
        {
            context.Error(0, $"file is larger than {MaxFileBytes} bytes");
            context.ThrowIfErrors();
        }
        var entries = new Dictionary<string, AliasEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var logical in LogicalLineReader.Read(content, fileName, context.Errors))
        {
            if (ParseEntry(logical, context) is not { } entry)
            {
                continue;
            }
            if (entries.TryGetValue(entry.Name, out var first))
            {
                context.Error(entry.Line, $"duplicate alias '{entry.Name}' (first defined at line {first.Line})");
                continue;
            }
            entries.Add(entry.Name, entry);
        }
        context.ThrowIfErrors();
        return new AliasesFile(fileName, entries.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The aliases of rows fetched from a table (key = the lowercased name, value = what follows
    /// <c>name:</c> in a file). A row that does not parse makes the table unavailable rather than
    /// absent: its recipient is deferred, never sent elsewhere.
    /// </summary>
    /// <exception cref="Core.Maps.LookupTableUnavailableException">A row is not a valid alias.</exception>
    public static AliasesFile FromRows(IReadOnlyDictionary<string, string> rows, string tableName, bool allowPipes, bool allowFiles)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var entries = new Dictionary<string, AliasEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in rows)
        {
            var context = new AliasesParseContext(tableName, allowPipes, allowFiles);
            var values = AliasNames.IsValid(name) ? AliasValueParser.Parse(value, context, 0) : [];
            if (context.Errors.Count > 0 || values.Count == 0)
            {
                var why = context.Errors.Count > 0 ? context.Errors[0].Message : AliasNames.IsValid(name) ? "no values" : "not a valid alias name";
                throw new Core.Maps.LookupTableUnavailableException(tableName, "row '" + name + "' is not a valid alias: " + why);
            }
            entries[name] = new AliasEntry(name.ToLowerInvariant(), values, 0);
        }
        return new AliasesFile(tableName, entries.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Reads the values of an :include: file (every line is a value list; same comment and continuation rules).</summary>
    /// <exception cref="AliasesParseException">The file has errors.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    internal static List<AliasValue> LoadInclude(string path, bool allowPipes, bool allowFiles)
    {
        var context = new AliasesParseContext(path, allowPipes, allowFiles);
        var values = new List<AliasValue>();
        foreach (var logical in LogicalLineReader.Read(ReadCapped(path, MaxIncludeBytes), path, context.Errors))
        {
            values.AddRange(AliasValueParser.Parse(logical.Text, context, logical.Line));
        }
        context.ThrowIfErrors();
        return values;
    }

    private static AliasEntry? ParseEntry(LogicalLine logical, AliasesParseContext context)
    {
        var colon = logical.Text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            context.Error(logical.Line, "missing ':' after the alias name");
            return null;
        }
        var name = logical.Text[..colon].Trim();
        if (!AliasNames.IsValid(name))
        {
            context.Error(logical.Line, name.Length == 0 ? "empty alias name" : $"'{name}' is not a valid alias name");
            return null;
        }
        var errorsBefore = context.Errors.Count;
        var values = AliasValueParser.Parse(logical.Text[(colon + 1)..], context, logical.Line);
        if (values.Count == 0)
        {
            if (context.Errors.Count == errorsBefore)
            {
                context.Error(logical.Line, $"alias '{name}' has no values");
            }
            return null;
        }
        return new AliasEntry(name.ToLowerInvariant(), values, logical.Line);
    }

    private static byte[] ReadCapped(string path, long cap)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (stream.CanSeek && stream.Length > cap)
        {
            throw new AliasesParseException([new AliasesError(path, 0, $"file is larger than {cap} bytes")]);
        }
        // Read at most cap + 1 bytes so a file that grows (or lies about its length) stays bounded.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > cap)
            {
                throw new AliasesParseException([new AliasesError(path, 0, $"file is larger than {cap} bytes")]);
            }
        }
        return buffer.ToArray();
    }
}
