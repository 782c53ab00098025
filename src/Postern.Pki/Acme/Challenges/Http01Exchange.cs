using System.Text;

namespace Postern.Pki.Acme.Challenges;

/// <summary>
/// The whole of the http-01 responder's HTTP (RFC 9112, the part a validation needs): finds the
/// end of the request head, takes the request line apart, and writes the one kind of response
/// (Connection: close, a Content-Length, text/plain).
/// </summary>
internal static class Http01Exchange
{
    public const string ChallengePath = "/.well-known/acme-challenge/";
    public const int MaxHeadLength = 8 * 1024;

    public const string NotChallengeBody = "Not found. This port answers ACME http-01 challenges only (/.well-known/acme-challenge/TOKEN).\n";

    /// <summary>The length of the head including its blank line, or -1 when it has not ended yet.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received)
    {
        var crlf = received.IndexOf("\r\n\r\n"u8);
        var lf = received.IndexOf("\n\n"u8);
        return (crlf, lf) switch
        {
            ( >= 0, >= 0) => Math.Min(crlf + 4, lf + 2),
            ( >= 0, _) => crlf + 4,
            (_, >= 0) => lf + 2,
            _ => -1,
        };
    }

    /// <summary>
    /// The token a GET or HEAD request line asks for (origin-form or absolute-form target, query
    /// ignored), or null when the request is anything else. <paramref name="isHead"/> says HEAD.
    /// </summary>
    public static string? RequestedToken(ReadOnlySpan<byte> head, out bool isHead)
    {
        isHead = false;
        var end = head.IndexOf((byte)'\n');
        var line = Encoding.ASCII.GetString(end < 0 ? head : head[..end]).TrimEnd('\r');
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }
        isHead = parts[0] == "HEAD";
        if (parts[0] != "GET" && !isHead)
        {
            return null;
        }
        var target = parts[1];
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var slash = target.IndexOf('/', "http://".Length);
            target = slash < 0 ? "/" : target[slash..];
        }
        var query = target.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            target = target[..query];
        }
        if (!target.StartsWith(ChallengePath, StringComparison.Ordinal))
        {
            return null;
        }
        var token = target[ChallengePath.Length..];
        // RFC 8555 8.1: tokens are base64url; anything else cannot be one of ours.
        return token.Length > 0 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? token : null;
    }

    public static byte[] Response(int status, string reason, string body, bool withBody)
    {
        var content = Encoding.ASCII.GetBytes(body);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {content.Length}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n");
        return withBody ? [.. head, .. content] : head;
    }
}
