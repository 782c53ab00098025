namespace Postern.Milter.Client;

/// <summary>
/// A milter's SMFIR_REPLBODY chunks, written to a private temporary file as they arrive (never
/// held whole in memory), with bare LFs written as CRLF, since the spool holds CRLF lines. The
/// draft reads it back when the spool file is written; disposing removes it.
/// </summary>
internal sealed class ReplacementBody : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private static readonly ReadOnlyMemory<byte> Cr = "\r"u8.ToArray();
    private readonly FileStream _file;
    private bool _lastWasCr;

    public ReplacementBody(string directory)
    {
        Path = System.IO.Path.Combine(directory, "postern-replbody-" + Guid.NewGuid().ToString("N"));
        _file = new FileStream(Path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            BufferSize = BufferSize,
            Options = FileOptions.Asynchronous,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    public string Path { get; }

    /// <summary>Bytes written so far (line ends as written).</summary>
    public long Length => _file.Length;

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        var start = 0;
        for (var lf = NextBareLf(chunk.Span, 0, _lastWasCr); lf >= 0; lf = NextBareLf(chunk.Span, lf + 1, false))
        {
            await _file.WriteAsync(chunk[start..lf], cancellationToken);
            await _file.WriteAsync(Cr, cancellationToken);
            start = lf;
        }
        await _file.WriteAsync(chunk[start..], cancellationToken);
        if (!chunk.IsEmpty)
        {
            _lastWasCr = chunk.Span[^1] == (byte)'\r';
        }
    }

    /// <summary>The next LF at or after <paramref name="from"/> that no CR precedes, or -1.</summary>
    private static int NextBareLf(ReadOnlySpan<byte> chunk, int from, bool crBeforeChunk)
    {
        for (var i = from; i < chunk.Length; i++)
        {
            if (chunk[i] == (byte)'\n' && !(i == 0 ? crBeforeChunk : chunk[i - 1] == (byte)'\r'))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Flushes what was written; the file is then read with <see cref="Open"/>.</summary>
    public Task FinishAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public Stream Open() =>
        new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.Asynchronous);

    public void Dispose()
    {
        _file.Dispose();
        File.Delete(Path);
    }
}
