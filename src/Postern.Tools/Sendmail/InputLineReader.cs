namespace Postern.Tools.Sendmail;

/// <summary>
/// Reads stdin as lines (LF or CRLF ends, the CR dropped) with a fixed buffer: a line longer than
/// the buffer comes in chunks, so no input is ever held whole in memory.
/// </summary>
internal sealed class InputLineReader(Stream input, int bufferSize = 64 * 1024)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _midLine;

    /// <summary>The next line or chunk; null at end of input.</summary>
    public async ValueTask<InputLine?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }
                var line = new InputLine(_buffer.AsMemory(_start, length).ToArray(), Complete: true, StartsLine: !_midLine);
                _start = newline + 1;
                _midLine = false;
                return line;
            }
            if (_eof || _end - _start == _buffer.Length)
            {
                if (_end == _start)
                {
                    return null;
                }
                // A full buffer without a line end: hand it on, but keep a trailing CR back in case its LF follows.
                var take = _end - _start;
                var length = _buffer[_end - 1] == '\r' ? take - 1 : take;
                if (!_eof)
                {
                    take = length;
                }
                var chunk = new InputLine(_buffer.AsMemory(_start, length).ToArray(), Complete: false, StartsLine: !_midLine);
                _start += take;
                _midLine = !_eof;
                if (_eof && _start == _end)
                {
                    _start = _end = 0;
                }
                return chunk;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            var read = await input.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                _eof = true;
            }
            _end += read;
        }
    }
}
