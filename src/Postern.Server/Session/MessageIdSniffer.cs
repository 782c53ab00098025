using System.Text;
using Postern.Core.IO;

namespace Postern.Server.Session;

/// <summary>
/// Passes message bytes through to the spool and picks the Message-ID out of the header section
/// on the way, for the mail log. Looks at no more than the first 64 KiB of headers.
/// </summary>
internal sealed class MessageIdSniffer(Stream inner) : PassThroughStream(inner, ownsInner: false)
{
    private const int HeaderScanLimit = 64 * 1024;
    private const int MaxLine = 998;
    private readonly List<byte> _line = new(128);
    private bool _done;
    private bool _inMessageId;
    private int _scanned;

    public string? MessageId { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_done)
        {
            Scan(buffer.Span);
        }
        return Inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Scan(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (++_scanned > HeaderScanLimit)
            {
                _done = true;
                return;
            }
            if (b != (byte)'\n')
            {
                if (b != (byte)'\r' && _line.Count < MaxLine)
                {
                    _line.Add(b);
                }
                continue;
            }
            EndLine();
            if (_done)
            {
                return;
            }
        }
    }

    private void EndLine()
    {
        if (_line.Count == 0)
        {
            _done = true;
            return;
        }
        var text = Encoding.UTF8.GetString([.. _line]);
        _line.Clear();
        if (text[0] is ' ' or '\t')
        {
            if (_inMessageId)
            {
                MessageId = (MessageId + " " + text.Trim()).Trim();
            }
            return;
        }
        _inMessageId = text.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase);
        if (_inMessageId && MessageId is null)
        {
            MessageId = text["Message-ID:".Length..].Trim();
        }
        else
        {
            _inMessageId = false;
        }
    }
}
