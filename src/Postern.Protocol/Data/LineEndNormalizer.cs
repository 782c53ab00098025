namespace Postern.Protocol.Data;

/// <summary>
/// Normalizes BDAT content as it streams: a bare LF becomes CR LF (so the spool has CRLF
/// throughout) and is counted; a bare CR stays content and is counted. A CR ending one chunk and
/// the LF starting the next are one proper line end. Call <see cref="CompleteMessage"/> after the
/// LAST chunk to catch a CR at the very end of the message. One per message.
/// </summary>
public sealed class LineEndNormalizer
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private bool pendingCr;

    /// <summary>LFs without a CR before them, each written as CR LF.</summary>
    public long BareLineFeeds { get; private set; }

    /// <summary>CRs without an LF after them.</summary>
    public long BareCarriageReturns { get; private set; }

    /// <summary>The counts so far.</summary>
    public BareLineEnds Counts => new(BareLineFeeds, BareCarriageReturns);

    /// <summary>
    /// Copies <paramref name="input"/> to <paramref name="output"/> with bare LFs made CR LF.
    /// <paramref name="output"/> must hold twice the input. Returns the bytes written.
    /// </summary>
    public int Normalize(ReadOnlySpan<byte> input, Span<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, 2 * input.Length, nameof(output));
        var written = 0;
        var i = 0;
        while (i < input.Length)
        {
            var b = input[i];
            if (pendingCr && b != Lf)
            {
                BareCarriageReturns++;
            }
            if (b == Lf && !pendingCr)
            {
                BareLineFeeds++;
                output[written++] = Cr;
            }
            output[written++] = b;
            pendingCr = b == Cr;
            i++;
            // Fast path: the run up to the next CR or LF is copied as it is.
            var run = input[i..].IndexOfAny(Cr, Lf);
            run = run < 0 ? input.Length - i : run;
            if (run > 0)
            {
                if (pendingCr)
                {
                    BareCarriageReturns++;
                    pendingCr = false;
                }
                input.Slice(i, run).CopyTo(output[written..]);
                written += run;
                i += run;
            }
        }
        return written;
    }

    /// <summary>Ends the message: a CR still waiting for its LF is bare. Returns the counts.</summary>
    public BareLineEnds CompleteMessage()
    {
        if (pendingCr)
        {
            BareCarriageReturns++;
            pendingCr = false;
        }
        return Counts;
    }
}
