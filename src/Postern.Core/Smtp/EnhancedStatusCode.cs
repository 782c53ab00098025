using System.Globalization;

namespace Postern.Core.Smtp;

/// <summary>An RFC 3463 enhanced status code such as 5.7.1.</summary>
public readonly record struct EnhancedStatusCode(int Class, int Subject, int Detail)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Class}.{Subject}.{Detail}");

    public static EnhancedStatusCode Parse(string text)
    {
        if (!TryParse(text, out var code))
        {
            throw new FormatException($"'{text}' is not an enhanced status code (class.subject.detail)");
        }
        return code;
    }

    public static bool TryParse(string text, out EnhancedStatusCode code)
    {
        code = default;
        var parts = text.Split('.');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var cls)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var subject)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var detail)
            || cls is not (2 or 4 or 5) || subject > 999 || detail > 999)
        {
            return false;
        }
        code = new EnhancedStatusCode(cls, subject, detail);
        return true;
    }
}
