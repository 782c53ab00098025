namespace Postern.Protocol.Data;

/// <summary>
/// The DATA byte state machine: removes dot-stuffing, finds the end marker and flags bare line
/// endings. Only CR LF "." CR LF, with both line ends true CRLFs, ends the data (SMTP smuggling):
/// after a bare CR or LF the next byte is never at a line start. State lives here, not in the
/// input, so any split of the input (down to single bytes) gives the same result.
/// </summary>
internal sealed class DotUnstuffer(long maxBytes)
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const byte Dot = (byte)'.';

    private State state = State.LineStart;

    private enum State
    {
        /// <summary>After a true CRLF (or at the start of the data).</summary>
        LineStart,

        /// <summary>Inside a line.</summary>
        Text,

        /// <summary>After a CR (already written) that may yet be followed by LF.</summary>
        CarriageReturn,

        /// <summary>After a '.' at a line start; the dot is dropped either way.</summary>
        LeadingDot,

        /// <summary>After "." CR at a line start; the CR is held back until we know it is not the end.</summary>
        LeadingDotCarriageReturn,
    }

    /// <summary>Content bytes accepted (written to the output), at most the limit.</summary>
    public long ContentBytes { get; private set; }

    public bool TooLarge { get; private set; }

    public bool BareLineEnding { get; private set; }

    /// <summary>The end marker has been consumed.</summary>
    public bool Ended { get; private set; }

    /// <summary>
    /// Feeds <paramref name="input"/>, writing unstuffed content to <paramref name="output"/>.
    /// Returns the input bytes consumed: all of them, or fewer when the end marker was reached
    /// (its final LF included) or when <paramref name="output"/> has fewer than two bytes free.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> input, Span<byte> output, out int written)
    {
        written = 0;
        var i = 0;
        while (i < input.Length && !Ended && output.Length - written >= 2)
        {
            if (state == State.Text)
            {
                // Fast path: copy the run up to the next CR or LF in one go.
                var rest = input[i..];
                var run = rest.IndexOfAny(Cr, Lf);
                if (run < 0)
                {
                    run = rest.Length;
                }
                if (run > 0)
                {
                    run = Math.Min(run, output.Length - written);
                    EmitRun(rest[..run], output, ref written);
                    i += run;
                    continue;
                }
            }
            Step(input[i], output, ref written);
            i++;
        }
        return i;
    }

    private void Step(byte b, Span<byte> output, ref int written)
    {
        switch (state)
        {
            case State.LineStart:
                if (b == Dot)
                {
                    state = State.LeadingDot;
                    return;
                }
                Ordinary(b, output, ref written);
                return;
            case State.Text:
                Ordinary(b, output, ref written);
                return;
            case State.CarriageReturn:
                if (b == Lf)
                {
                    Emit(b, output, ref written);
                    state = State.LineStart;
                    return;
                }
                BareLineEnding = true;
                Ordinary(b, output, ref written);
                return;
            case State.LeadingDot:
                if (b == Cr)
                {
                    state = State.LeadingDotCarriageReturn;
                    return;
                }
                Ordinary(b, output, ref written);
                return;
            default: // LeadingDotCarriageReturn
                if (b == Lf)
                {
                    Ended = true;
                    return;
                }
                // The held CR was not followed by LF: it is a bare CR, and content.
                BareLineEnding = true;
                Emit(Cr, output, ref written);
                Ordinary(b, output, ref written);
                return;
        }
    }

    // A byte in no special position: CR opens a possible line end, LF here is bare.
    private void Ordinary(byte b, Span<byte> output, ref int written)
    {
        if (b == Lf)
        {
            BareLineEnding = true;
        }
        Emit(b, output, ref written);
        state = b == Cr ? State.CarriageReturn : State.Text;
    }

    private void Emit(byte b, Span<byte> output, ref int written)
    {
        if (ContentBytes >= maxBytes)
        {
            TooLarge = true;
            return;
        }
        output[written++] = b;
        ContentBytes++;
    }

    private void EmitRun(ReadOnlySpan<byte> run, Span<byte> output, ref int written)
    {
        var allowed = (int)Math.Min(run.Length, maxBytes - ContentBytes);
        if (allowed < run.Length)
        {
            TooLarge = true;
        }
        run[..allowed].CopyTo(output[written..]);
        written += allowed;
        ContentBytes += allowed;
    }
}
