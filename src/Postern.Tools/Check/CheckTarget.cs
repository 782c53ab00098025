using System.Globalization;

namespace Postern.Tools.Check;

/// <summary>HOST:PORT as given: <c>mail.example.org:587</c>, <c>127.0.0.1:25</c>, <c>[::1]:465</c>; no port means 25.</summary>
internal sealed record CheckTarget(string Host, int Port)
{
    public const int DefaultPort = 25;

    public static bool TryParse(string text, out CheckTarget target, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        target = new CheckTarget(string.Empty, 0);
        error = null;
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                error = $"'{text}': expected [ADDRESS]:PORT";
                return false;
            }
            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"'{text}': write an IPv6 address in brackets, [ADDRESS]:PORT";
                return false;
            }
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }
        if (host.Length == 0)
        {
            error = $"'{text}': no host";
            return false;
        }
        var number = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            error = $"'{text}': the port must be a number from 1 to 65535";
            return false;
        }
        target = new CheckTarget(host, number);
        return true;
    }
}
