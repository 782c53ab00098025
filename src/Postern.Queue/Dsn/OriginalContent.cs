namespace Postern.Queue.Dsn;

/// <summary>
/// Reads what a DSN returns of the original message, bounded: the whole message (only when the
/// caller knows it is small) or just its header section, read up to the blank line and no further.
/// </summary>
internal static class OriginalContent
{
    private const int ChunkSize = 8192;

    /// <summary>All of <paramref name="body"/>, which the caller knows holds at most <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (copy.Length + read > limit)
            {
                throw new InvalidDataException("the queued message is larger than its recorded length");
            }
            copy.Write(buffer, 0, read);
        }
        return copy.ToArray();
    }

    /// <summary>
    /// The header section of <paramref name="body"/> without the blank line that ends it, every
    /// header line ending in CRLF. Past <paramref name="limit"/> bytes it is cut at the last whole line.
    /// </summary>
    public static async Task<byte[]> ReadHeadersAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[ChunkSize];
        while (copy.Length <= limit)
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }
            var from = (int)Math.Max(0, copy.Length - 3);
            copy.Write(buffer, 0, read);
            if (FindEnd(copy.GetBuffer().AsSpan(0, (int)copy.Length), from) is { } end)
            {
                if (end <= limit)
                {
                    return WithCrLf(copy.GetBuffer().AsSpan(0, end));
                }
                break;
            }
        }
        var all = copy.GetBuffer().AsSpan(0, (int)Math.Min(copy.Length, limit));
        if (copy.Length > limit || (all.Length > 0 && all[^1] != (byte)'\n'))
        {
            // Cut mid-line (a limit or a message without a final line end): keep whole lines only.
            var lastLf = all.LastIndexOf((byte)'\n');
            all = lastLf < 0 ? [] : all[..(lastLf + 1)];
        }
        return WithCrLf(all);
    }

    /// <summary>The length of the header lines (including the last one's LF) before the empty line, searching from <paramref name="from"/>.</summary>
    private static int? FindEnd(ReadOnlySpan<byte> data, int from)
    {
        if (data.Length > 0 && data[0] == (byte)'\n')
        {
            return 0;
        }
        if (data.Length > 1 && data[0] == (byte)'\r' && data[1] == (byte)'\n')
        {
            return 0;
        }
        for (var i = Math.Max(from, 0); i < data.Length; i++)
        {
            if (data[i] != (byte)'\n')
            {
                continue;
            }
            var next = i + 1;
            if (next < data.Length && data[next] == (byte)'\n')
            {
                return next;
            }
            if (next + 1 < data.Length && data[next] == (byte)'\r' && data[next + 1] == (byte)'\n')
            {
                return next;
            }
        }
        return null;
    }

    /// <summary>The lines with CRLF line ends, whatever the spool held (it should already be CRLF).</summary>
    private static byte[] WithCrLf(ReadOnlySpan<byte> lines)
    {
        using var result = new MemoryStream(lines.Length + 64);
        var start = 0;
        while (start < lines.Length)
        {
            var lf = lines[start..].IndexOf((byte)'\n');
            var line = lf < 0 ? lines[start..] : lines.Slice(start, lf);
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            result.Write(line);
            result.Write("\r\n"u8);
            start = lf < 0 ? lines.Length : start + lf + 1;
        }
        return result.ToArray();
    }
}
