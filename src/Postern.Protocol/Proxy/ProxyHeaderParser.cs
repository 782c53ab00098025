namespace Postern.Protocol.Proxy;

/// <summary>
/// Tells a PROXY v1 header from a v2 one by its first bytes and hands it to the parser for that
/// version. Works on the bytes read so far and asks for more only up to the header's end, so a
/// reader that reads exactly what it is asked for never takes a byte of the SMTP dialogue (or of a
/// TLS handshake) that follows.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>The v2 signature: CR LF CR LF NUL CR LF "QUIT" LF.</summary>
    public static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>A v1 header starts with these bytes.</summary>
    public static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    /// <summary>
    /// The largest header accepted, either version. A v1 line is at most 107 bytes; v2 allows
    /// 16 + 65535, but what a proxy sends (addresses, ALPN, authority, TLS facts) fits in far less,
    /// and nothing larger is read from a peer that has not been greeted yet.
    /// </summary>
    public const int MaxLength = 4096;

    /// <summary>
    /// Parses <paramref name="input"/>, the bytes read from the start of the connection. Never
    /// throws; never reads past the header, so bytes after a complete header do not change it.
    /// </summary>
    public static ProxyParseResult Parse(ReadOnlySpan<byte> input)
    {
        var signature = V2Signature;
        var prefix = V1Prefix;
        var compared = Math.Min(input.Length, signature.Length);
        if (input[..compared].SequenceEqual(signature[..compared]))
        {
            return input.Length < signature.Length ? ProxyParseResult.NeedMore(ProxyV2Parser.FixedLength) : ProxyV2Parser.Parse(input);
        }
        compared = Math.Min(input.Length, prefix.Length);
        if (input[..compared].SequenceEqual(prefix[..compared]))
        {
            return input.Length < prefix.Length ? ProxyParseResult.NeedMore(ProxyV1Parser.MinLength) : ProxyV1Parser.Parse(input);
        }
        return ProxyParseResult.Invalid("no PROXY header: the connection starts with " + Printable(input[..Math.Min(input.Length, 16)]));
    }

    /// <summary>Bytes as a log can show them: printable ASCII as is, the rest as \xNN.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder(bytes.Length + 2);
        text.Append('"');
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return text.Append('"').ToString();
    }
}
