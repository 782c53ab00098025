using Postern.Protocol.Data;

namespace Postern.Fuzz.Targets;

/// <summary>
/// The DATA reader, fed whole and three bytes at a time. Both feeds give the same result; the
/// reader stops exactly after the first true CRLF.CRLF (nothing after it is taken, nothing before
/// it left); writes stay within the limit; and content without bare CR or LF (which the reader
/// counts, and writes a bare LF as CR LF) comes out
/// dot-unstuffed exactly as RFC 5321 4.5.2 says.
/// </summary>
internal static class DataTarget
{
    /// <summary>Small, so inputs of a few KiB reach the over-size path.</summary>
    private const long MaxBytes = 2048;

    private static ReadOnlySpan<byte> EndMarker => "\r\n.\r\n"u8;

    public static void Run(byte[] input)
    {
        var whole = Read(PipeInput.Whole(input));
        var trickled = Read(PipeInput.Trickled(input));
        FuzzInvariantException.Require(whole.Result == trickled.Result, $"the result does not depend on how the bytes arrive: {whole.Result} vs {trickled.Result}");
        FuzzInvariantException.Require(whole.Content.AsSpan().SequenceEqual(trickled.Content), "the content does not depend on how the bytes arrive");
        FuzzInvariantException.Require(whole.Left.AsSpan().SequenceEqual(trickled.Left), "what is left does not depend on how the bytes arrive");

        // The data follows the DATA command's CRLF, so a "." line first thing ends it too.
        var framed = (byte[])[(byte)'\r', (byte)'\n', .. input];
        var marker = framed.AsSpan().IndexOf(EndMarker);
        var result = whole.Result;
        FuzzInvariantException.Require(result.EndOfStream == (marker < 0), "the end is reported exactly when CRLF.CRLF is there");
        FuzzInvariantException.Require(result.BytesWritten == whole.Content.Length && result.BytesWritten <= MaxBytes, "writes are counted and stay within the limit");
        if (marker < 0)
        {
            FuzzInvariantException.Require(whole.Left.Length == 0, "without an end marker everything is consumed");
            return;
        }
        var consumed = marker + EndMarker.Length - 2;
        FuzzInvariantException.Require(whole.Left.AsSpan().SequenceEqual(input.AsSpan(consumed)), "the reader stops right after the end marker");
        if (result.BareLineEnds == default)
        {
            var expected = Unstuff(framed.AsSpan(2, marker));
            var kept = expected[..(int)Math.Min(expected.Length, MaxBytes)];
            FuzzInvariantException.Require(result.TooLarge == (expected.Length > MaxBytes), "over-size is flagged exactly when the content is over the limit");
            FuzzInvariantException.Require(whole.Content.AsSpan().SequenceEqual(kept), "clean content comes out dot-unstuffed");
        }
    }

    /// <summary>RFC 5321 4.5.2: a line that starts with a dot loses that dot. Lines end in CRLF here.</summary>
    private static byte[] Unstuff(ReadOnlySpan<byte> content)
    {
        var output = new List<byte>(content.Length);
        var lineStart = true;
        for (var i = 0; i < content.Length; i++)
        {
            if (!(lineStart && content[i] == (byte)'.'))
            {
                output.Add(content[i]);
            }
            lineStart = content[i] == (byte)'\n' && i > 0 && content[i - 1] == (byte)'\r';
        }
        return [.. output];
    }

    private static (DataReadResult Result, byte[] Content, byte[] Left) Read(System.IO.Pipelines.PipeReader reader)
    {
        using var content = new MemoryStream();
        var result = DotDataReader.ReadAsync(reader, content, MaxBytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return (result, content.ToArray(), PipeInput.Rest(reader));
    }
}
