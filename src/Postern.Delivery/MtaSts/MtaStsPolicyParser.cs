using System.Globalization;

namespace Postern.Delivery.MtaSts;

/// <summary>
/// The strict parser of a policy body (RFC 8461 3.2): <c>key: value</c> lines separated by CRLF
/// or LF; <c>version: STSv1</c>, <c>mode</c> (testing, enforce, none) and <c>max_age</c> (seconds,
/// at most 31557600) exactly once each; <c>mx</c> patterns (<c>mail.example.net</c> or
/// <c>*.example.net</c>), at least one unless the mode is none. Unknown fields are ignored as the
/// RFC says; blank lines are skipped; anything else that breaks the grammar makes the whole policy
/// invalid (sts-policy-invalid), as a half-understood policy must not steer delivery.
/// </summary>
public static class MtaStsPolicyParser
{
    /// <summary>RFC 8461 3.2: max_age is "up to 31557600" seconds (one year).</summary>
    public const long MaxAgeLimit = 31_557_600;

    private const int MaxFieldNameLength = 32;
    private const int MaxMaxAgeDigits = 10;

    /// <summary>
    /// The policy in <paramref name="body"/> under the TXT record's <paramref name="id"/>, or null
    /// with the first reason it is invalid.
    /// </summary>
    public static MtaStsPolicy? Parse(string body, string id, DateTimeOffset fetchedAt, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(id);
        var fields = new Fields();
        var number = 0;
        foreach (var rawLine in body.Split('\n'))
        {
            number++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (line.Length == 0)
            {
                continue;
            }
            problem = ParseLine(line, fields);
            if (problem is not null)
            {
                problem = $"line {number}: {problem}";
                return null;
            }
        }
        problem = fields.Missing();
        if (problem is not null)
        {
            return null;
        }
        return new MtaStsPolicy(id, fields.Mode!.Value, fields.Mx, TimeSpan.FromSeconds(fields.MaxAge!.Value), fields.Lines, fetchedAt);
    }

    private static string? ParseLine(string line, Fields fields)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return $"not a \"key: value\" line: \"{PrintableText.Of(line, 40)}\"";
        }
        var name = line[..colon];
        if (!IsFieldName(name))
        {
            return $"malformed field name \"{PrintableText.Of(name, 40)}\"";
        }
        var value = line[(colon + 1)..].TrimStart(' ', '\t').TrimEnd(' ', '\t');
        if (!IsFieldValue(value))
        {
            return $"the {PrintableText.Of(name, 40)} field has an empty or malformed value";
        }
        fields.Lines.Add(line.TrimEnd(' ', '\t'));
        return name switch
        {
            "version" => fields.SetVersion(value),
            "mode" => fields.SetMode(value),
            "max_age" => fields.SetMaxAge(value),
            "mx" => fields.AddMx(value),
            _ => null, // an extension field: ignored (RFC 8461 3.2)
        };
    }

    private static bool IsFieldName(string name)
    {
        if (name.Length > MaxFieldNameLength || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
    }

    // sts-policy-vchar (VCHAR or UTF-8) with inner spaces; no controls, no tabs.
    private static bool IsFieldValue(string value) =>
        value.Length > 0 && value.All(c => c == ' ' || (c > ' ' && c != '\x7f' && !char.IsControl(c)));

    /// <summary>An MX pattern: a domain of letters, digits and inner hyphens, optionally "*." before it.</summary>
    internal static bool IsMxPattern(string pattern)
    {
        var domain = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        if (domain.Length is 0 or > 253)
        {
            return false;
        }
        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>What the lines said so far; each setter answers the problem or null.</summary>
    private sealed class Fields
    {
        private bool _version;

        public MtaStsMode? Mode { get; private set; }

        public long? MaxAge { get; private set; }

        public List<string> Mx { get; } = [];

        public List<string> Lines { get; } = [];

        public string? SetVersion(string value)
        {
            if (_version)
            {
                return "version appears twice";
            }
            _version = true;
            return value == "STSv1" ? null : $"unsupported version \"{PrintableText.Of(value, 20)}\" (only STSv1)";
        }

        public string? SetMode(string value)
        {
            if (Mode is not null)
            {
                return "mode appears twice";
            }
            Mode = value switch
            {
                "enforce" => MtaStsMode.Enforce,
                "testing" => MtaStsMode.Testing,
                "none" => MtaStsMode.None,
                _ => null,
            };
            return Mode is null ? $"unknown mode \"{PrintableText.Of(value, 20)}\" (enforce, testing or none)" : null;
        }

        public string? SetMaxAge(string value)
        {
            if (MaxAge is not null)
            {
                return "max_age appears twice";
            }
            if (value.Length > MaxMaxAgeDigits || !value.All(char.IsAsciiDigit)
                || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return $"max_age must be 1 to 10 digits, got \"{PrintableText.Of(value, 20)}\"";
            }
            if (seconds > MaxAgeLimit)
            {
                return $"max_age {seconds} exceeds {MaxAgeLimit} seconds";
            }
            MaxAge = seconds;
            return null;
        }

        public string? AddMx(string value)
        {
            if (!IsMxPattern(value))
            {
                return $"malformed mx pattern \"{PrintableText.Of(value, 60)}\"";
            }
            Mx.Add(value);
            return null;
        }

        public string? Missing()
        {
            if (!_version)
            {
                return "no version field";
            }
            if (Mode is null)
            {
                return "no mode field";
            }
            if (MaxAge is null)
            {
                return "no max_age field";
            }
            return Mx.Count == 0 && Mode != MtaStsMode.None ? "no mx field (required unless the mode is none)" : null;
        }
    }
}
