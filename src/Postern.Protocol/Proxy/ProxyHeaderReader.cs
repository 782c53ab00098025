namespace Postern.Protocol.Proxy;

/// <summary>
/// Reads a PROXY header from the start of a connection, asking the stream for no more bytes than
/// the header can still need, so what follows (the client's first command, a TLS ClientHello)
/// stays unread for the session. The caller bounds the wait with <c>cancellationToken</c>.
/// </summary>
public static class ProxyHeaderReader
{
    /// <summary>
    /// The header, or <see cref="ProxyParseStatus.Invalid"/> with the reason (the connection ended
    /// first, or the bytes are not a header).
    /// </summary>
    public static async Task<ProxyParseResult> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[ProxyHeaderParser.MaxLength];
        var filled = 0;
        var wanted = ProxyV1Parser.MinLength;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled, wanted - filled), cancellationToken);
            if (read == 0)
            {
                return ProxyParseResult.Invalid(filled == 0 ? "connection closed before a PROXY header" : "connection closed within a PROXY header after " + filled + " bytes");
            }
            filled += read;
            // Parsed after every read, so garbage is refused as soon as its first bytes arrive
            // instead of after a timeout.
            var result = ProxyHeaderParser.Parse(buffer.AsSpan(0, filled));
            if (result.Status != ProxyParseStatus.NeedMore)
            {
                return result;
            }
            // The parser asks for more than it has and at most MaxLength; each pass reads at least
            // one byte, so the loop ends within MaxLength passes.
            wanted = Math.Clamp(result.Length, filled + 1, buffer.Length);
        }
    }
}
