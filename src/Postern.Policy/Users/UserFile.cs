using System.Globalization;
using System.Text;
using Postern.Core.Auth;
using Postern.Core.IO;

namespace Postern.Policy.Users;

/// <summary>
/// The users file: one user a line, the name then space-separated fields, in file order.
/// <code>
/// alice password=$pbkdf2-sha256$i=600000$SALT$HASH scram-sha-1=10000:SALT:STOREDKEY:SERVERKEY
///       scram-sha-256=15000:SALT:STOREDKEY:SERVERKEY password-equivalent=BASE64 cert=HEX disabled
/// </code>
/// (one line in the file). <c>#</c> starts a comment line. Never a plaintext password; the
/// password-equivalent field (CRAM-MD5/DIGEST-MD5) is base64 only so it is not read at a glance,
/// and is present only when asked for. Written atomically with mode 0600.
/// </summary>
public static class UserFile
{
    private const string Header =
        "# Postern users, written by `postern user`: edit with that command. Mode 0600: holds password hashes.";

    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The users in <paramref name="path"/>; none when the file does not exist.</summary>
    /// <exception cref="UserFileException">A line does not parse (every problem named with file and line).</exception>
    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    public static IReadOnlyList<UserRecord> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"{path}: cannot read the users file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <exception cref="UserFileException">A line does not parse.</exception>
    public static IReadOnlyList<UserRecord> Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var users = new List<UserRecord>();
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var user = ParseLine(line, out var problem);
            if (user is null)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{fileName}:{lineNumber}: {problem}"));
            }
            else if (!names.Add(user.Name))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{fileName}:{lineNumber}: user {user.Name} appears twice"));
            }
            else
            {
                users.Add(user);
            }
        }
        return errors.Count > 0 ? throw new UserFileException(errors) : users;
    }

    public static string Format(IEnumerable<UserRecord> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var builder = new StringBuilder(Header).Append('\n');
        foreach (var user in users)
        {
            builder.Append(user.Name).Append(FormatFields(user)).Append('\n');
        }
        return builder.ToString();
    }

    /// <summary>
    /// What follows the name on the user's line, with its leading space (empty for a user with no
    /// credential): the value of the user's row when the users are a <c>pgsql:</c> table.
    /// </summary>
    public static string FormatFields(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var builder = new StringBuilder();
        if (user.PasswordHash is { } hash)
        {
            builder.Append(" password=").Append(hash);
        }
        AppendScram(builder, "scram-sha-1", user.ScramSha1);
        AppendScram(builder, "scram-sha-256", user.ScramSha256);
        if (user.PasswordEquivalent is { } equivalent)
        {
            builder.Append(" password-equivalent=").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(equivalent)));
        }
        foreach (var fingerprint in user.CertificateFingerprints)
        {
            builder.Append(" cert=").Append(fingerprint);
        }
        if (user.Disabled)
        {
            builder.Append(" disabled");
        }
        return builder.ToString();
    }

    /// <summary>A user from its name and the fields after it (a users table's row), or null with the problem (never a secret).</summary>
    public static UserRecord? ParseFields(string name, string fields, out string problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(fields);
        return ParseLine(name + " " + fields, out problem);
    }

    /// <summary>
    /// Replaces the file: a temporary file created with mode 0600 in the same directory, fsynced,
    /// renamed over the old one, and the directory fsynced; a crash leaves the old or the new file.
    /// </summary>
    public static void Write(string path, IEnumerable<UserRecord> users)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        DurableFile.Replace(path, Path.Combine(directory, "." + Path.GetFileName(path) + ".tmp-" + Guid.NewGuid().ToString("N")), Encoding.UTF8.GetBytes(Format(users)), OwnerOnly);
    }

    private static UserRecord? ParseLine(string line, out string problem)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var name = fields[0];
        if (!UserNames.IsValid(name))
        {
            problem = "the user name must be 1 to 256 characters without white space or control characters";
            return null;
        }
        var user = new UserRecord(name);
        var certificates = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields.Skip(1))
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? field : field[..equals];
            var value = equals < 0 ? null : field[(equals + 1)..];
            if (key != "cert" && !seen.Add(key))
            {
                problem = $"user {name}: {key} appears twice";
                return null;
            }
            switch (key)
            {
                case "password" when value is not null && PasswordHash.IsWellFormed(value):
                    user = user with { PasswordHash = value };
                    break;
                case "scram-sha-1" when ParseScram(value, 20) is { } sha1:
                    user = user with { ScramSha1 = sha1 };
                    break;
                case "scram-sha-256" when ParseScram(value, 32) is { } sha256:
                    user = user with { ScramSha256 = sha256 };
                    break;
                case "password-equivalent" when DecodeEquivalent(value) is { } equivalent:
                    user = user with { PasswordEquivalent = equivalent };
                    break;
                case "cert" when IsFingerprint(value):
                    certificates.Add(value!);
                    break;
                case "disabled" when value is null:
                    user = user with { Disabled = true };
                    break;
                case "password" or "scram-sha-1" or "scram-sha-256" or "password-equivalent" or "cert" or "disabled":
                    // The value is not echoed: it may be a secret.
                    problem = $"user {name}: {key} has an invalid value";
                    return null;
                default:
                    problem = $"user {name}: unknown field {key} (known: password, scram-sha-1, scram-sha-256, password-equivalent, cert, disabled)";
                    return null;
            }
        }
        problem = string.Empty;
        return user with { CertificateFingerprints = certificates };
    }

    /// <summary>A SHA-256 fingerprint as the rest of Postern writes it: 64 lower-case hex digits.</summary>
    public static bool IsFingerprint(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower);

    private static void AppendScram(StringBuilder builder, string key, ScramCredential? credential)
    {
        if (credential is null)
        {
            return;
        }
        builder.Append(' ').Append(key).Append('=')
            .Append(credential.Iterations.ToString(CultureInfo.InvariantCulture)).Append(':')
            .Append(Convert.ToBase64String(credential.Salt)).Append(':')
            .Append(Convert.ToBase64String(credential.StoredKey)).Append(':')
            .Append(Convert.ToBase64String(credential.ServerKey));
    }

    private static ScramCredential? ParseScram(string? value, int keyLength)
    {
        var parts = value?.Split(':');
        if (parts is not { Length: 4 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > PasswordHash.MaxIterations)
        {
            return null;
        }
        var salt = Decode(parts[1]);
        var storedKey = Decode(parts[2]);
        var serverKey = Decode(parts[3]);
        return salt is { Length: > 0 } && storedKey?.Length == keyLength && serverKey?.Length == keyLength
            ? new ScramCredential(salt, iterations, storedKey, serverKey)
            : null;
    }

    private static string? DecodeEquivalent(string? value)
    {
        if (Decode(value) is not { Length: > 0 } bytes)
        {
            return null;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static byte[]? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }
}
