using System.Globalization;
using System.Text;

namespace Postern.Policy.Access;

/// <summary>
/// Reads sendmail's access file text (<c>/etc/mail/access</c>, the makemap source): one
/// <c>key&lt;whitespace&gt;value</c> per line, <c>#</c> comments and blank lines skipped. Every
/// problem is collected and reported at once; a file with any problem does not load.
/// </summary>
public static class AccessMapParser
{
    public const int MaxLineLength = 4096;

    public const long MaxFileBytes = 16L * 1024 * 1024;

    private const int MaxErrors = 100;

    /// <exception cref="AccessMapException">The file is too large, unreadable as UTF-8 text, or has errors.</exception>
    public static AccessMap Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxFileBytes)
        {
            throw new AccessMapException([path + ": file is larger than " + MaxFileBytes.ToString(CultureInfo.InvariantCulture) + " bytes"]);
        }

        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new AccessMapException([path + ": " + e.Message]);
        }

        return Parse(text, path);
    }

    /// <exception cref="AccessMapException">Any line has an error.</exception>
    public static AccessMap Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        if (text.Length > MaxFileBytes)
        {
            throw new AccessMapException([fileName + ": file is larger than " + MaxFileBytes.ToString(CultureInfo.InvariantCulture) + " bytes"]);
        }

        var entries = new List<AccessEntry>();
        var errors = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length > MaxLineLength)
            {
                Add(errors, fileName, lineNumber, "line is longer than " + MaxLineLength.ToString(CultureInfo.InvariantCulture) + " characters");
                continue;
            }

            var trimmed = line.Trim(' ', '\t');
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (TryParseLine(trimmed, lineNumber, out var entry, out var error))
            {
                entries.Add(entry);
            }
            else
            {
                Add(errors, fileName, lineNumber, error);
            }

            if (errors.Count >= MaxErrors)
            {
                errors.Add(fileName + ": too many errors, stopped reading");
                break;
            }
        }

        if (errors.Count > 0)
        {
            throw new AccessMapException(errors);
        }

        return new AccessMap(entries, fileName);
    }

    private static void Add(List<string> errors, string fileName, int line, string message) =>
        errors.Add(fileName + ":" + line.ToString(CultureInfo.InvariantCulture) + ": " + message);

    private static bool TryParseLine(string line, int lineNumber, out AccessEntry entry, out string error)
    {
        entry = null!;
        var split = line.AsSpan().IndexOfAny(' ', '\t');
        if (split < 0)
        {
            error = "'" + line + "' has no value";
            return false;
        }

        var key = line[..split];
        var value = line[split..].Trim(' ', '\t');
        var (tag, tagName, keyText) = SplitTag(key);
        if (!AccessKeys.TryNormalize(tag, keyText, out var normalized, out error))
        {
            error = (tagName.Length == 0 ? "" : tagName + ": ") + error;
            return false;
        }

        if (!AccessValueParser.TryParse(tag, value, out var action, out var reply, out error))
        {
            return false;
        }

        entry = new AccessEntry(tag, tagName, normalized, action, reply, value, lineNumber);
        return true;
    }

    // A tag is a word before the first ':' ("Connect:", "CERTIssuer:", "Srv_Features:"); "IPv6:"
    // starts an untagged address key instead.
    internal static (AccessTag Tag, string TagName, string Key) SplitTag(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(key[0]) || !key.AsSpan(0, colon).ToString().All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return (AccessTag.None, "", key);
        }

        var name = key[..colon];
        AccessTag? tag = name.ToUpperInvariant() switch
        {
            "IPV6" => null,
            "CONNECT" => AccessTag.Connect,
            "FROM" => AccessTag.From,
            "TO" => AccessTag.To,
            "CERTISSUER" => AccessTag.CertIssuer,
            "CERTSUBJECT" => AccessTag.CertSubject,
            "CERTFP" => AccessTag.CertFp,
            "CERTSPKI" => AccessTag.CertSpki,
            "CERTSAN" => AccessTag.CertSan,
            "TLS_CLT" => AccessTag.TlsClt,
            "CLIENTRATE" => AccessTag.ClientRate,
            "CLIENTCONN" => AccessTag.ClientConn,
            "GREETPAUSE" => AccessTag.GreetPause,
            _ => AccessTag.Other,
        };
        return tag is null ? (AccessTag.None, "", key) : (tag.Value, name, key[(colon + 1)..]);
    }
}
