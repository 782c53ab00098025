using System.Globalization;
using System.Text;
using Postern.Core.Maps;

namespace Postern.Delivery.Virtual;

/// <summary>
/// Reads a virtual map file into memory: one <c>key value</c> per line (the virtual mailboxes:
/// <c>bob@example.com bob@example.com</c>), or one key per line (the virtual domains); <c>#</c>
/// comments and blank lines skipped, keys lowercased (as a table's writer stores them). Every
/// problem is reported with its file and line; a file with any does not load.
/// </summary>
public static class VirtualMapFile
{
    public const long MaxFileBytes = 16L * 1024 * 1024;

    public const int MaxLineLength = 4096;

    /// <exception cref="VirtualMapException">The file cannot be read, is too large or has errors.</exception>
    public static InMemoryLookupTable Load(string path, bool valueRequired)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new VirtualMapException([path + ": file is larger than " + MaxFileBytes.ToString(CultureInfo.InvariantCulture) + " bytes"]);
            }
            text = File.ReadAllText(path, new UTF8Encoding(false, true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new VirtualMapException([path + ": " + e.Message]);
        }
        return Parse(text, path, valueRequired);
    }

    /// <exception cref="VirtualMapException">Any line has an error.</exception>
    public static InMemoryLookupTable Parse(string text, string fileName, bool valueRequired)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim(' ', '\t');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var where = fileName + ":" + lineNumber.ToString(CultureInfo.InvariantCulture) + ": ";
            if (line.Length > MaxLineLength)
            {
                errors.Add(where + "line is longer than " + MaxLineLength.ToString(CultureInfo.InvariantCulture) + " characters");
                continue;
            }
            var split = line.AsSpan().IndexOfAny(' ', '\t');
            var key = (split < 0 ? line : line[..split]).ToLowerInvariant();
            var value = split < 0 ? "" : line[split..].Trim(' ', '\t');
            if (valueRequired && value.Length == 0)
            {
                errors.Add(where + "'" + key + "' has no value (expected: address mailbox)");
            }
            else if (firstLines.TryGetValue(key, out var first))
            {
                errors.Add(where + "'" + key + "' is listed twice (first on line " + first.ToString(CultureInfo.InvariantCulture) + ")");
            }
            else
            {
                firstLines.Add(key, lineNumber);
                rows.Add(key, value);
            }
        }
        if (errors.Count > 0)
        {
            throw new VirtualMapException(errors);
        }
        return new InMemoryLookupTable(fileName, rows);
    }
}

/// <summary>A virtual map file could not be loaded; each error names the file and line.</summary>
public sealed class VirtualMapException : Exception
{
    public VirtualMapException()
        : this([])
    {
    }

    public VirtualMapException(string message)
        : this([message])
    {
    }

    public VirtualMapException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public VirtualMapException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors ?? []))
    {
        Errors = errors ?? [];
    }

    public IReadOnlyList<string> Errors { get; }
}
