namespace Postern.Protocol.Data;

/// <summary>
/// Detects bare CR and bare LF across BDAT chunks: a CR ending one chunk and the LF starting the
/// next are one proper line end. Call <see cref="CompleteMessage"/> after the LAST chunk to
/// catch a CR at the very end of the message. One tracker per message.
/// </summary>
public sealed class LineEndingTracker
{
    private bool pendingCr;

    public bool SawBareLineEnding { get; private set; }

    public void Observe(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (pendingCr)
            {
                if (data[i] != (byte)'\n')
                {
                    SawBareLineEnding = true;
                }
                pendingCr = false;
                if (data[i] == (byte)'\n')
                {
                    i++;
                    continue;
                }
            }
            var next = data[i..].IndexOfAny((byte)'\r', (byte)'\n');
            if (next < 0)
            {
                return;
            }
            i += next;
            if (data[i] == (byte)'\n')
            {
                SawBareLineEnding = true;
            }
            else
            {
                pendingCr = true;
            }
            i++;
        }
    }

    /// <summary>Ends the message: a CR still waiting for its LF is bare. Returns <see cref="SawBareLineEnding"/>.</summary>
    public bool CompleteMessage()
    {
        if (pendingCr)
        {
            SawBareLineEnding = true;
            pendingCr = false;
        }
        return SawBareLineEnding;
    }

    /// <summary>Forgets all state, for the next message.</summary>
    public void Reset()
    {
        pendingCr = false;
        SawBareLineEnding = false;
    }
}
