namespace Postern.Delivery.MtaSts;

/// <summary>
/// The <c>_mta-sts</c> TXT record (RFC 8461 3.1): <c>v=STSv1; id=20160831085700Z;</c>. Only the id
/// matters to a sender: when it differs from the cached policy's, the policy is fetched again.
/// </summary>
public sealed record MtaStsRecord(string Id)
{
    private const string Version = "v=STSv1";
    private const int MaxIdLength = 32;
    private const int MaxExtensionNameLength = 32;

    /// <summary>
    /// Picks the one STSv1 record among a name's TXT records: records that do not start with
    /// <c>v=STSv1</c> are not MTA-STS records; none, several, or one that does not parse means the
    /// domain has no usable record (RFC 8461 3.1), and <paramref name="problem"/> says which.
    /// </summary>
    public static MtaStsRecord? Select(IReadOnlyList<string> txtRecords, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(txtRecords);
        var candidates = txtRecords.Where(IsStsRecord).ToList();
        switch (candidates.Count)
        {
            case 0:
                problem = "no v=STSv1 TXT record";
                return null;
            case > 1:
                problem = $"{candidates.Count} v=STSv1 TXT records (exactly one is allowed)";
                return null;
        }
        var record = Parse(candidates[0], out problem);
        return record;
    }

    /// <summary>Parses one record; null with the reason when it breaks RFC 8461 3.1's grammar.</summary>
    public static MtaStsRecord? Parse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(';');
        if (parts[0].TrimEnd(' ', '\t') != Version)
        {
            problem = "the record does not start with v=STSv1";
            return null;
        }
        string? id = null;
        for (var i = 1; i < parts.Length; i++)
        {
            var field = parts[i].Trim(' ', '\t');
            if (field.Length == 0)
            {
                if (i == parts.Length - 1)
                {
                    break; // the optional trailing separator
                }
                problem = "empty field in the record";
                return null;
            }
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !IsExtensionName(field.AsSpan(0, equals)) || !IsFieldValue(field.AsSpan(equals + 1)))
            {
                problem = $"malformed field \"{Shorten(field)}\"";
                return null;
            }
            if (field.AsSpan(0, equals) is "id")
            {
                var value = field[(equals + 1)..];
                if (id is not null)
                {
                    problem = "the id field appears twice";
                    return null;
                }
                if (!IsValidId(value))
                {
                    problem = "the id must be 1 to 32 letters and digits";
                    return null;
                }
                id = value;
            }
        }
        if (id is null)
        {
            problem = "the record has no id field";
            return null;
        }
        problem = null;
        return new MtaStsRecord(id);
    }

    /// <summary>sts-id: 1 to 32 ASCII letters and digits.</summary>
    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= MaxIdLength && id.All(char.IsAsciiLetterOrDigit);

    private static bool IsStsRecord(string text) =>
        text.StartsWith(Version, StringComparison.Ordinal)
        && (text.Length == Version.Length || text[Version.Length] is ';' or ' ' or '\t');

    private static bool IsExtensionName(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > MaxExtensionNameLength || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    // sts-ext-value: printable ASCII except "=", ";" and space.
    private static bool IsFieldValue(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (c is < '!' or > '~' or '=' or ';')
            {
                return false;
            }
        }
        return true;
    }

    private static string Shorten(string text) => PrintableText.Of(text, 40);
}
