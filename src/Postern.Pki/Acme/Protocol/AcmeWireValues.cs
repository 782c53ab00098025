using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// Checks on single values an ACME server sends, so nothing it says reaches a URL, a log line or
/// a file name unchecked: URLs absolute https, texts free of control characters and bounded,
/// tokens base64url, timestamps RFC 3339.
/// </summary>
internal static partial class AcmeWireValues
{
    /// <summary>The longest detail text kept for a log line.</summary>
    public const int MaxText = 300;

    private const int MaxUrl = 2048;

    /// <summary>An absolute https URL, or an AcmeException naming <paramref name="field"/>.</summary>
    public static Uri Url(string? value, string field, string what) =>
        OptionalUrl(value, field, what) ?? throw Malformed(what, $"has no {field}");

    /// <summary>Null when absent; else an absolute https URL.</summary>
    public static Uri? OptionalUrl(string? value, string field, string what)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length > MaxUrl
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw Malformed(what, $"has a {field} that is not an https URL: {Printable(value, 80)}");
        }
        return uri;
    }

    /// <summary>
    /// Null when absent; else any absolute URL: for links the client only shows and never requests
    /// (the terms of service, ARI's explanation), which servers send as data: URLs too (pebble).
    /// </summary>
    public static Uri? OptionalLink(string? value, string field, string what)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length > MaxUrl || value.Any(char.IsControl) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            throw Malformed(what, $"has a {field} that is not a URL: {Printable(value, 80)}");
        }
        return uri;
    }

    /// <summary><paramref name="value"/> when it is one of <paramref name="allowed"/>.</summary>
    public static string Status(string? value, string what, params string[] allowed)
    {
        if (value is null)
        {
            throw Malformed(what, "has no status");
        }
        if (Array.IndexOf(allowed, value) < 0)
        {
            throw Malformed(what, $"has the unknown status {Printable(value, 40)}");
        }
        return value;
    }

    /// <summary>A challenge token: base64url characters only (RFC 8555 8.3), as it becomes a URL path and a file-like key.</summary>
    public static string Token(string? value, string what)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 256 || !value.All(IsBase64UrlCharacter))
        {
            throw Malformed(what, $"has a token that is not base64url: {Printable(value ?? "", 40)}");
        }
        return value;
    }

    /// <summary>An RFC 3339 timestamp; null when absent. Servers send up to nanoseconds; .NET parses seven fraction digits.</summary>
    public static DateTimeOffset? Timestamp(string? value, string field, string what)
    {
        if (value is null)
        {
            return null;
        }
        var text = TrimFraction(value);
        if (text.Length > 64
            || !Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw Malformed(what, $"has a {field} that is not an RFC 3339 time: {Printable(value, 40)}");
        }
        return time;
    }

    /// <summary>Server text for one log line: control characters become spaces, at most <paramref name="limit"/> characters.</summary>
    public static string Printable(string value, int limit = MaxText)
    {
        var builder = new StringBuilder(Math.Min(value.Length, limit + 3));
        foreach (var c in value)
        {
            if (builder.Length >= limit)
            {
                builder.Append("...");
                break;
            }
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? ' ' : c);
        }
        return builder.ToString();
    }

    public static bool IsBase64UrlCharacter(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';

    public static AcmeException Malformed(string what, string problem) =>
        new($"the ACME server sent {what} that {problem}");

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?([Zz]|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    // "2026-03-07T10:00:00.123456789Z" -> seven fraction digits.
    private static string TrimFraction(string value)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return value;
        }
        var end = dot + 1;
        while (end < value.Length && char.IsAsciiDigit(value[end]))
        {
            end++;
        }
        return end - dot - 1 <= 7 ? value : value[..(dot + 8)] + value[end..];
    }
}
