using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Postern.Core.Addressing;

namespace Postern.Policy.Auth;

/// <summary>
/// Which SASL users own which envelope senders (Postfix's smtpd_sender_login_maps), from a text map
/// in the style of sendmail's: <c>sender  user[,user...]</c> per line, the sender a full address or
/// <c>@domain</c> for every address of the domain; <c>#</c> comments and blank lines skipped. An
/// owner may be a certificate identity (its subject DN) written in double quotes or with sendmail's
/// <c>+XX</c> encoding (<see cref="SenderLoginOwners"/>).
/// A full address entry wins over its domain's; matching is case-insensitive.
/// </summary>
public sealed class SenderLoginMap
{
    public const int MaxLineLength = 4096;

    public const long MaxFileBytes = 16L * 1024 * 1024;

    private const int MaxErrors = 100;

    private readonly FrozenDictionary<string, IReadOnlyList<string>> _owners;

    private SenderLoginMap(Dictionary<string, IReadOnlyList<string>> owners) =>
        _owners = owners.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static SenderLoginMap Empty { get; } = new([]);

    public int Count => _owners.Count;

    /// <summary>The users who own <paramref name="sender"/>, or an empty list when the map names none.</summary>
    public IReadOnlyList<string> OwnersOf(Mailbox sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return _owners.TryGetValue(sender.ToString(), out var owners) || _owners.TryGetValue("@" + sender.Domain, out owners) ? owners : [];
    }

    /// <summary>Every key (address or @domain) with its owners, for <c>config check</c>.</summary>
    public IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> Entries => _owners;

    /// <summary>True when <paramref name="user"/> owns any sender in the map (case-insensitive).</summary>
    public bool NamesOwner(string user) =>
        _owners.Values.Any(owners => owners.Contains(user, StringComparer.OrdinalIgnoreCase));

    /// <summary>True when the map gives <paramref name="sender"/> to <paramref name="user"/> (case-insensitive).</summary>
    public bool IsOwnedBy(Mailbox sender, string user) =>
        OwnersOf(sender).Contains(user, StringComparer.OrdinalIgnoreCase);

    /// <exception cref="SenderLoginMapException">The file is too large, not UTF-8 text, unreadable, or has errors.</exception>
    public static SenderLoginMap Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new SenderLoginMapException([path + ": file is larger than " + MaxFileBytes.ToString(CultureInfo.InvariantCulture) + " bytes"]);
            }
            return Parse(File.ReadAllText(path, new UTF8Encoding(false, true)), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new SenderLoginMapException([path + ": " + e.Message]);
        }
    }

    /// <exception cref="SenderLoginMapException">Any line has an error; all of them are reported.</exception>
    public static SenderLoginMap Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var owners = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var firstLines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r').Trim(' ', '\t');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string? key = null;
            IReadOnlyList<string>? users = null;
            var error = line.Length > MaxLineLength
                ? "line is longer than " + MaxLineLength.ToString(CultureInfo.InvariantCulture) + " characters"
                : ParseLine(line, out key, out users);
            if (error is null && firstLines.TryGetValue(key!, out var first))
            {
                error = "'" + key + "' is listed twice (first on line " + first.ToString(CultureInfo.InvariantCulture) + ")";
            }
            if (error is not null)
            {
                errors.Add(fileName + ":" + lineNumber.ToString(CultureInfo.InvariantCulture) + ": " + error);
                if (errors.Count >= MaxErrors)
                {
                    errors.Add(fileName + ": too many errors, stopped reading");
                    break;
                }
                continue;
            }
            firstLines.Add(key!, lineNumber);
            owners.Add(key!, users!);
        }
        if (errors.Count > 0)
        {
            throw new SenderLoginMapException(errors);
        }
        return new SenderLoginMap(owners);
    }

    /// <summary>
    /// A map of rows fetched from a table (key = the address or <c>@domain</c>, lower case; value = the
    /// owners as a file line writes them). A row whose owners do not parse makes the table unavailable:
    /// a sender must not pass the check because its row is broken.
    /// </summary>
    /// <exception cref="Core.Maps.LookupTableUnavailableException">A row's value is not valid.</exception>
    internal static SenderLoginMap FromRows(IReadOnlyDictionary<string, string> rows, string tableName)
    {
        var owners = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in rows)
        {
            var error = SenderLoginOwners.Parse(value, out var names);
            if (error is not null || names.Count == 0)
            {
                throw new Core.Maps.LookupTableUnavailableException(tableName, "row '" + key + "' has bad owners: " + (error ?? "it names no user"));
            }
            owners[key] = names;
        }
        return new SenderLoginMap(owners);
    }

    /// <summary>The stored keys that can own <paramref name="sender"/>: the address and its <c>@domain</c>, lower case.</summary>
    public static IReadOnlyCollection<string> TableKeys(Mailbox sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return [sender.ToString().ToLowerInvariant(), "@" + sender.Domain.ToLowerInvariant()];
    }

    /// <summary>One <c>key users</c> line; returns the error, or null with the normalized key and the users.</summary>
    private static string? ParseLine(string line, out string? key, out IReadOnlyList<string>? users)
    {
        key = null;
        users = null;
        var split = line.AsSpan().IndexOfAny(' ', '\t');
        if (split < 0)
        {
            return "'" + line + "' names no user (expected: sender-address-or-@domain  user[,user...])";
        }
        var keyText = line[..split];
        if (SenderLoginOwners.Parse(line[split..], out var names) is { } ownerError)
        {
            return ownerError;
        }
        if (names.Count == 0)
        {
            return "'" + keyText + "' names no user";
        }
        if (names.FirstOrDefault(n => n.Any(char.IsControl)) is { } bad)
        {
            return "user name '" + bad + "' has control characters";
        }
        if (keyText.StartsWith('@'))
        {
            if (!DomainSyntax.IsValidHostName(keyText.AsSpan(1), out var reason))
            {
                return "'" + keyText + "' is not @domain: " + reason;
            }
            key = keyText;
        }
        else if (MailboxParser.TryParseMailbox(keyText, out var mailbox, out _) && mailbox is not null)
        {
            key = mailbox.ToString();
        }
        else
        {
            return "'" + keyText + "' is neither an address (user@example.org) nor @domain";
        }
        users = names;
        return null;
    }
}
