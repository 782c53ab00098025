using System.Globalization;
using System.Text;

namespace Postern.Delivery.Relay;

/// <summary>
/// sendmail's authinfo map as a text file, one entry per line:
/// <c>AuthInfo:relay.example.com "U:user" "I:authid" "P:password" "M:PLAIN CRAM-MD5"</c>.
/// <c>P=</c> takes a base64 password; <c>AuthInfo:</c> with no host is the default entry.
/// As in sendmail, I is the authentication id and U the authorization id; when only one is
/// given it is the user authenticating. Blank lines and <c>#</c> comments are skipped. The file
/// holds passwords, so it must not be readable by group or others.
/// </summary>
public sealed class AuthInfoFile : IRelayCredentials
{
    private const string Prefix = "AuthInfo:";

    private readonly Dictionary<string, RelayCredential> _byHost;

    private AuthInfoFile(Dictionary<string, RelayCredential> byHost) => _byHost = byHost;

    public int Count => _byHost.Count;

    public RelayCredential? Find(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        return _byHost.TryGetValue(Normalize(hostName), out var credential) ? credential
            : _byHost.TryGetValue(string.Empty, out var fallback) ? fallback
            : null;
    }

    /// <summary>
    /// The entry for exactly <paramref name="key"/> (a host, or in a sender file an address or
    /// @domain), without the default entry; null when there is none.
    /// </summary>
    public RelayCredential? FindEntry(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _byHost.GetValueOrDefault(Normalize(key));
    }

    /// <summary>Loads <paramref name="path"/>; throws <see cref="AuthInfoFileException"/> naming the file and line.</summary>
    public static AuthInfoFile Load(string path) => Parse(path, SecretFile.ReadLines(path));

    /// <summary>Parses the lines of a file; <paramref name="name"/> is for messages.</summary>
    /// <param name="name">The file's name, for messages.</param>
    /// <param name="lines">Its lines.</param>
    /// <param name="checkKey">An extra check of each entry's key: an error to report, or null.</param>
    public static AuthInfoFile Parse(string name, IReadOnlyList<string> lines, Func<string, string?>? checkKey = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var byHost = new Dictionary<string, RelayCredential>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var location = string.Create(CultureInfo.InvariantCulture, $"{name}:{i + 1}");
            var (host, credential) = ParseLine(location, line);
            if (checkKey?.Invoke(host) is { } problem)
            {
                throw new AuthInfoFileException($"{location}: {problem}");
            }
            if (!byHost.TryAdd(host, credential))
            {
                throw new AuthInfoFileException($"{location}: a second entry for {(host.Length == 0 ? "the default" : host)}");
            }
        }
        return new AuthInfoFile(byHost);
    }

    private static (string Host, RelayCredential Credential) ParseLine(string location, string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new AuthInfoFileException($"{location}: expected a line starting with {Prefix}");
        }
        var rest = line[Prefix.Length..];
        var hostEnd = rest.IndexOfAny([' ', '\t']);
        var host = Normalize(hostEnd < 0 ? rest : rest[..hostEnd]);
        var fields = new Dictionary<char, string>();
        var position = hostEnd < 0 ? rest.Length : hostEnd;
        while (position < rest.Length)
        {
            if (char.IsWhiteSpace(rest[position]))
            {
                position++;
                continue;
            }
            if (rest[position] != '"')
            {
                throw new AuthInfoFileException($"{location}: expected a quoted \"X:value\" field at column {Prefix.Length + position + 1}");
            }
            var close = rest.IndexOf('"', position + 1);
            if (close < 0)
            {
                throw new AuthInfoFileException($"{location}: unterminated quoted field");
            }
            var field = rest[(position + 1)..close];
            position = close + 1;
            if (field.Length < 2 || field[1] is not (':' or '='))
            {
                throw new AuthInfoFileException($"{location}: a field must look like \"U:user\", \"P:password\" or \"P=base64\"");
            }
            var key = char.ToUpperInvariant(field[0]);
            var value = field[2..];
            if (field[1] == '=')
            {
                value = DecodeBase64(location, key, value);
            }
            if (key is not ('U' or 'I' or 'P' or 'M' or 'R'))
            {
                throw new AuthInfoFileException($"{location}: unknown field {key} (known: U, I, P, M, R)");
            }
            if (!fields.TryAdd(key, value))
            {
                throw new AuthInfoFileException($"{location}: field {key} given twice");
            }
        }
        var user = fields.GetValueOrDefault('I') ?? fields.GetValueOrDefault('U');
        if (string.IsNullOrEmpty(user))
        {
            throw new AuthInfoFileException($"{location}: no user (\"U:...\" or \"I:...\")");
        }
        if (!fields.TryGetValue('P', out var password))
        {
            throw new AuthInfoFileException($"{location}: no password (\"P:...\")");
        }
        var authorization = fields.TryGetValue('I', out _) && fields.TryGetValue('U', out var u) && u != user ? u : null;
        var mechanisms = fields.TryGetValue('M', out var m)
            ? m.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(x => x.ToUpperInvariant()).ToArray()
            : [];
        return (host, new RelayCredential(user, authorization, password, mechanisms));
    }

    private static string DecodeBase64(string location, char key, string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            // Never echo the value: it may be a password.
            throw new AuthInfoFileException($"{location}: field {key}= is not valid base64");
        }
    }

    private static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();
}
