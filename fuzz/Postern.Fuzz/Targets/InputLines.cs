namespace Postern.Fuzz.Targets;

/// <summary>Splits fuzz input into lines as a session reads them: LF-terminated, a CR before the LF dropped.</summary>
internal static class InputLines
{
    public static IEnumerable<ReadOnlyMemory<byte>> Split(byte[] input)
    {
        var start = 0;
        while (start < input.Length)
        {
            var lf = Array.IndexOf(input, (byte)'\n', start);
            var end = lf < 0 ? input.Length : lf;
            var line = input.AsMemory(start, end - start);
            if (line.Length > 0 && line.Span[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            yield return line;
            start = end + 1;
        }
    }
}
