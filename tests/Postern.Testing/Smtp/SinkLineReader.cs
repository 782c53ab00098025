using System.Text;

namespace Postern.Testing.Smtp;

/// <summary>Byte-exact line reading for the sink, bounded; knows whether more input is already buffered.</summary>
internal sealed class SinkLineReader(Stream stream)
{
    private const int MaxLine = 64 * 1024;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public bool HasBuffered => _end > _start;

    /// <summary>A line with its CRLF, or null at end of stream.</summary>
    public async Task<byte[]?> ReadRawLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer, cancellationToken);
                if (_end == 0)
                {
                    return null;
                }
            }
            while (_start < _end)
            {
                var b = _buffer[_start++];
                line.Add(b);
                if (b == (byte)'\n')
                {
                    return [.. line];
                }
                if (line.Count > MaxLine)
                {
                    throw new IOException("sink: line too long");
                }
            }
        }
    }

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var raw = await ReadRawLineAsync(cancellationToken);
        return raw is null ? null : Encoding.UTF8.GetString(raw).TrimEnd('\r', '\n');
    }
}
