namespace Postern.Protocol.Client;

/// <summary>
/// The DATA encoding state machine (RFC 5321 4.5.2): a '.' at the start of a line gets a second
/// '.', and the end marker follows the content, after a CRLF of its own when the content does not
/// end with one. Nothing else changes: the spooled bytes already have CRLF line ends, and a DKIM
/// signature over them must still verify. State lives here, so any split of the input gives the
/// same output.
/// </summary>
internal sealed class DotStuffer
{
    private static ReadOnlySpan<byte> EndMarker => ".\r\n"u8;

    private bool _lineStart = true;
    private bool _afterCr;
    private bool _empty = true;

    /// <summary>Encodes <paramref name="input"/>; <paramref name="output"/> needs room for twice its length.</summary>
    public int Encode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (output.Length < input.Length * 2)
        {
            throw new ArgumentException("The output needs room for twice the input", nameof(output));
        }
        var written = 0;
        foreach (var b in input)
        {
            if (_lineStart && b == (byte)'.')
            {
                output[written++] = (byte)'.';
            }
            output[written++] = b;
            _lineStart = _afterCr && b == (byte)'\n';
            _afterCr = b == (byte)'\r';
        }
        if (!input.IsEmpty)
        {
            _empty = false;
        }
        return written;
    }

    /// <summary>Writes the end of the data: CRLF if the content did not end with one, then ".CRLF". At most 5 bytes.</summary>
    public int Finish(Span<byte> output)
    {
        var written = 0;
        if (!_empty && !_lineStart)
        {
            "\r\n"u8.CopyTo(output);
            written = 2;
        }
        EndMarker.CopyTo(output[written..]);
        _lineStart = true;
        _afterCr = false;
        return written + EndMarker.Length;
    }
}
