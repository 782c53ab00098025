using System.Globalization;

namespace Postern.Core.Milters;

/// <summary>
/// A milter's address in sendmail's <c>S=</c> syntax, which Postfix's <c>smtpd_milters</c> also
/// reads: <c>inet:8891@127.0.0.1</c>, <c>inet6:8891@[::1]</c>, <c>unix:/run/opendkim/opendkim.sock</c>
/// (<c>local:</c> is a synonym of <c>unix:</c>). The host may be a name or an address.
/// </summary>
public sealed record MilterSocketAddress(MilterSocketKind Kind, string Host, int Port, string Path)
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, out MilterSocketAddress? address, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        error = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = "expected inet:PORT@HOST, inet6:PORT@HOST or unix:PATH";
            return false;
        }
        var family = text[..colon].ToLowerInvariant();
        var rest = text[(colon + 1)..];
        if (family is "unix" or "local")
        {
            if (!rest.StartsWith('/'))
            {
                error = "a unix socket needs an absolute path";
                return false;
            }
            address = new MilterSocketAddress(MilterSocketKind.Unix, "", 0, rest);
            return true;
        }
        if (family is not ("inet" or "inet6"))
        {
            error = $"unknown socket family '{text[..colon]}' (inet, inet6 or unix)";
            return false;
        }
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var portText = at < 0 ? rest : rest[..at];
        var host = at < 0 ? "" : rest[(at + 1)..].Trim('[', ']');
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{portText}' is not a port (1-65535)";
            return false;
        }
        if (host.Length == 0)
        {
            error = "the host is missing (PORT@HOST)";
            return false;
        }
        address = new MilterSocketAddress(family == "inet" ? MilterSocketKind.Inet : MilterSocketKind.Inet6, host, port, "");
        return true;
    }

    /// <summary>The address in sendmail's syntax, as configured.</summary>
    public override string ToString() => Kind switch
    {
        MilterSocketKind.Unix => "unix:" + Path,
        MilterSocketKind.Inet6 => $"inet6:{Port}@{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}",
        _ => $"inet:{Port}@{Host}",
    };
}
