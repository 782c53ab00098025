using System.Buffers;

namespace Postern.Delivery.Local;

/// <summary>
/// Turns message bytes into an mbox (mboxrd) body, streaming: CRLF becomes LF, and every line
/// matching <c>&gt;*From </c> gets one more <c>&gt;</c> so readers can undo the quoting. Works on
/// chunks; the little state it carries across chunk boundaries is kept here.
/// </summary>
internal sealed class MboxEncoder
{
    private const int MaxQuotePrefix = 998;
    private static ReadOnlySpan<byte> From => "From "u8;

    private bool _matching = true;
    private int _greaterThan;
    private int _fromMatched;
    private bool _pendingCr;
    private bool _atLineStart = true;

    public void Encode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        foreach (var b in input)
        {
            if (b == '\r')
            {
                if (_pendingCr)
                {
                    Emit((byte)'\r', output);
                }
                _pendingCr = true;
                continue;
            }
            if (_pendingCr)
            {
                _pendingCr = false;
                if (b != '\n')
                {
                    Emit((byte)'\r', output);
                }
            }
            Emit(b, output);
        }
    }

    /// <summary>Flushes held bytes and ends the message with a newline and the blank separator line.</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        if (_pendingCr)
        {
            _pendingCr = false;
            Emit((byte)'\r', output);
        }
        if (_matching)
        {
            FlushPrefix(output);
        }
        if (!_atLineStart)
        {
            Write((byte)'\n', output);
        }
        Write((byte)'\n', output);
    }

    private void Emit(byte b, IBufferWriter<byte> output)
    {
        if (_matching)
        {
            if (_fromMatched == 0 && b == '>' && _greaterThan < MaxQuotePrefix)
            {
                _greaterThan++;
                return;
            }
            if (b == From[_fromMatched])
            {
                if (++_fromMatched == From.Length)
                {
                    Write((byte)'>', output);
                    FlushPrefix(output);
                }
                return;
            }
            FlushPrefix(output);
        }
        Write(b, output);
        if (b == '\n')
        {
            _matching = true;
        }
    }

    private void FlushPrefix(IBufferWriter<byte> output)
    {
        for (var i = 0; i < _greaterThan; i++)
        {
            Write((byte)'>', output);
        }
        foreach (var b in From[.._fromMatched])
        {
            Write(b, output);
        }
        _greaterThan = 0;
        _fromMatched = 0;
        _matching = false;
    }

    private void Write(byte b, IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
        _atLineStart = b == '\n';
    }
}
