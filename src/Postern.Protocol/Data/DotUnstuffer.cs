namespace Postern.Protocol.Data;

/// <summary>
/// The DATA byte state machine: removes dot-stuffing, finds the end marker and counts bare line
/// endings. Only CR LF "." CR LF, with both line ends true CRLFs, ends the data (SMTP smuggling).
/// A bare LF is taken as a line end and written as CR LF, so the output has CRLF throughout; as in
/// Postfix's <c>smtpd_forbid_bare_newline = normalize</c>, a lone "." line next to a bare LF
/// (<c>\n.\n</c>, <c>\n.\r\n</c>, <c>\r\n.\n</c>) never ends the data and is dropped. A bare CR is
/// never a line end: it stays content and is counted. Whether bare endings refuse the message is
/// the caller's choice. State lives here, not in the input, so any split of the input (down to
/// single bytes) gives the same result.
/// </summary>
internal sealed class DotUnstuffer(long maxBytes)
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const byte Dot = (byte)'.';

    private State state = State.LineStart;

    private enum State
    {
        /// <summary>After a true CRLF (or at the start of the data): a "." line here may end the data.</summary>
        LineStart,

        /// <summary>After a bare LF taken as a line end: a "." line here never ends the data.</summary>
        LooseLineStart,

        /// <summary>Inside a line.</summary>
        Text,

        /// <summary>After a CR (already written) that may yet be followed by LF.</summary>
        CarriageReturn,

        /// <summary>After a '.' at a line start; the dot is dropped either way.</summary>
        LeadingDot,

        /// <summary>After a '.' at a loose line start.</summary>
        LooseLeadingDot,

        /// <summary>After "." CR at a line start; the CR is held back until we know it is not the end.</summary>
        LeadingDotCarriageReturn,

        /// <summary>After "." CR at a loose line start; the CR is held back until we know whether the line is a lone dot.</summary>
        LooseLeadingDotCarriageReturn,
    }

    /// <summary>Content bytes accepted (written to the output), at most the limit.</summary>
    public long ContentBytes { get; private set; }

    public bool TooLarge { get; private set; }

    /// <summary>LFs without a CR before them, each taken as a line end.</summary>
    public long BareLineFeeds { get; private set; }

    /// <summary>CRs without an LF after them, kept as content.</summary>
    public long BareCarriageReturns { get; private set; }

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
        // One input byte writes at most two output bytes (a bare LF becomes CR LF).
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
            case State.LineStart or State.LooseLineStart:
                if (b == Dot)
                {
                    state = state == State.LineStart ? State.LeadingDot : State.LooseLeadingDot;
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
                BareCarriageReturns++;
                Ordinary(b, output, ref written);
                return;
            case State.LeadingDot or State.LooseLeadingDot:
                if (b == Cr)
                {
                    state = state == State.LeadingDot ? State.LeadingDotCarriageReturn : State.LooseLeadingDotCarriageReturn;
                    return;
                }
                if (b == Lf)
                {
                    // A lone "." ended by a bare LF: not the end marker, and not content either (as Postfix).
                    BareLineFeeds++;
                    state = State.LooseLineStart;
                    return;
                }
                Ordinary(b, output, ref written);
                return;
            default: // LeadingDotCarriageReturn, LooseLeadingDotCarriageReturn
                if (b == Lf)
                {
                    if (state == State.LeadingDotCarriageReturn)
                    {
                        Ended = true;
                        return;
                    }
                    // A lone "." after a bare LF: dropped; its own line end was a true CRLF.
                    state = State.LineStart;
                    return;
                }
                // The held CR was not followed by LF: it is a bare CR, and content.
                BareCarriageReturns++;
                Emit(Cr, output, ref written);
                Ordinary(b, output, ref written);
                return;
        }
    }

    // A byte in no special position: CR opens a possible line end, LF here is bare.
    private void Ordinary(byte b, Span<byte> output, ref int written)
    {
        switch (b)
        {
            case Lf:
                BareLineFeeds++;
                Emit(Cr, output, ref written);
                Emit(Lf, output, ref written);
                state = State.LooseLineStart;
                return;
            case Cr:
                Emit(b, output, ref written);
                state = State.CarriageReturn;
                return;
            default:
                Emit(b, output, ref written);
                state = State.Text;
                return;
        }
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
