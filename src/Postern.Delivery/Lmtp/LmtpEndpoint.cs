using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Postern.Delivery.Lmtp;

/// <summary>
/// Where an LMTP server listens, as a transport string names it (Postfix's lmtp(8) next-hop forms):
/// <c>lmtp:unix:/run/dovecot/lmtp</c> (a Unix socket, absolute path), <c>lmtp:[127.0.0.1]:24</c>
/// or <c>lmtp:[::1]:24</c> (an address or host name, brackets allowed around any), <c>lmtp:host:port</c>
/// and <c>lmtp:inet:host:port</c>. The port defaults to 24 (RFC 2033 asks for no well-known port;
/// 24 is the one Dovecot and Cyrus use).
/// </summary>
public sealed record LmtpEndpoint
{
    public const string Scheme = "lmtp:";
    public const int DefaultPort = 24;

    /// <summary>The Unix socket's absolute path; null for TCP.</summary>
    public string? SocketPath { get; private init; }

    /// <summary>The host (an address or a name, without brackets); null for a Unix socket.</summary>
    public string? Host { get; private init; }

    /// <summary>The TCP port; 0 for a Unix socket.</summary>
    public int Port { get; private init; }

    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>The host as an address when it is one (a literal); null for a name or a Unix socket.</summary>
    public IPAddress? Address => Host is not null && IPAddress.TryParse(Host, out var address) ? address : null;

    /// <summary>How the mail log names it: <c>unix:/run/dovecot/lmtp</c>, <c>[127.0.0.1]:24</c>.</summary>
    public string Relay => IsUnixSocket ? "unix:" + SocketPath : "[" + Host + "]:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The transport string in its canonical form.</summary>
    public override string ToString() => Scheme + Relay;

    /// <summary>Parses a transport string; <paramref name="error"/> says what is wrong in words fit for a configuration error.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out LmtpEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        endpoint = null;
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            error = "must be an LMTP destination: \"lmtp:unix:/path\", \"lmtp:[address]:port\" or \"lmtp:host:port\"";
            return false;
        }
        var rest = text[Scheme.Length..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseUnix(rest["unix:".Length..], out endpoint, out error);
        }
        if (rest.StartsWith("inet:", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest["inet:".Length..];
        }
        return TryParseInet(rest, out endpoint, out error);
    }

    /// <summary>Parses a transport string known to be valid (checked at configuration load).</summary>
    /// <exception cref="FormatException">It is not.</exception>
    public static LmtpEndpoint Parse(string text) =>
        TryParse(text, out var endpoint, out var error) ? endpoint : throw new FormatException($"{text}: {error}");

    private static bool TryParseUnix(string path, [NotNullWhen(true)] out LmtpEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (!path.StartsWith('/'))
        {
            error = "must name the Unix socket by an absolute path, such as \"lmtp:unix:/run/dovecot/lmtp\"";
            return false;
        }
        // sun_path holds 108 bytes with its terminating NUL.
        if (System.Text.Encoding.UTF8.GetByteCount(path) > 107 || path.Any(char.IsControl))
        {
            error = "names a Unix socket path that is too long (107 bytes at most) or holds control characters";
            return false;
        }
        endpoint = new LmtpEndpoint { SocketPath = path };
        error = null;
        return true;
    }

    private static bool TryParseInet(string rest, [NotNullWhen(true)] out LmtpEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        string host;
        string? port;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "has a '[' without its ']'";
                return false;
            }
            host = rest[1..close];
            var after = rest[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                error = "must have \":port\" after the bracketed host";
                return false;
            }
            port = after.Length > 0 ? after[1..] : null;
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            if (colon >= 0 && rest.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = "must put an IPv6 address in brackets: \"lmtp:[::1]:24\"";
                return false;
            }
            host = colon < 0 ? rest : rest[..colon];
            port = colon < 0 ? null : rest[(colon + 1)..];
        }
        if (!IsHost(host))
        {
            error = "must name a host: an IP address or a host name";
            return false;
        }
        var number = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            error = "must end in a port from 1 to 65535";
            return false;
        }
        endpoint = new LmtpEndpoint { Host = IPAddress.TryParse(host, out var address) ? address.ToString() : host.ToLowerInvariant(), Port = number };
        error = null;
        return true;
    }

    private static bool IsHost(string host) =>
        host.Length is > 0 and <= 253
        && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
}
