using System.Buffers;
using Postern.Core.IO;
using Postern.Core.Policy;

namespace Postern.Server.Stages;

/// <summary>
/// Sits between the DATA/BDAT reader and the spool: passes every byte on, keeps the header block
/// aside, and hands the handlers that want content the header block once it is complete and then
/// each body chunk as it arrives. Their combined decision waits in <see cref="Decision"/> for the
/// end of data (the client is answered only then). A header block longer than
/// <see cref="MaxHeaderBlock"/> is cut there: the rest counts as body.
/// </summary>
internal sealed class ContentFeed(Stream inner, StagePipeline pipeline, SessionFacts session) : PassThroughStream(inner, ownsInner: false)
{
    public const int MaxHeaderBlock = 256 * 1024;

    private readonly ArrayBufferWriter<byte> _headers = new(4096);
    private DecisionCombiner _decision;
    private bool _stopped;

    /// <summary>The header block's length once known (the empty line included); -1 before.</summary>
    public int HeaderLength { get; private set; } = -1;

    /// <summary>The header block as received; complete once <see cref="HeaderLength"/> is known.</summary>
    public ReadOnlyMemory<byte> HeaderBlock => _headers.WrittenMemory[..Math.Max(HeaderLength, 0)];

    /// <summary>The header block ended with an empty line (rather than at a line that began the body).</summary>
    public bool HadEmptyLine
    {
        get
        {
            var block = HeaderBlock.Span;
            return block.EndsWith("\n\n"u8) || block.EndsWith("\n\r\n"u8) || block.SequenceEqual("\r\n"u8) || block.SequenceEqual("\n"u8);
        }
    }

    /// <summary>The content stages' combined decision so far.</summary>
    public PolicyDecision Decision => _decision.Result;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.WriteAsync(buffer, cancellationToken);
        if (HeaderLength >= 0)
        {
            await FeedBodyAsync(buffer, cancellationToken);
            return;
        }
        var before = _headers.WrittenCount;
        var take = Math.Min(buffer.Length, MaxHeaderBlock - before);
        _headers.Write(buffer.Span[..take]);
        var length = HeaderBlockLength();
        if (length < 0 && _headers.WrittenCount < MaxHeaderBlock)
        {
            return;
        }
        HeaderLength = length < 0 ? _headers.WrittenCount : length;
        await FeedHeadersAsync(cancellationToken);
        if (HeaderLength - before < buffer.Length)
        {
            await FeedBodyAsync(buffer[(HeaderLength - before)..], cancellationToken);
        }
    }

    /// <summary>End of data: a message that ended inside its header block has that much as its header block.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (HeaderLength < 0)
        {
            HeaderLength = _headers.WrittenCount;
            await FeedHeadersAsync(cancellationToken);
        }
    }

    private int HeaderBlockLength() => Core.Stages.HeaderBlock.Measure(_headers.WrittenSpan);

    private async ValueTask FeedHeadersAsync(CancellationToken cancellationToken)
    {
        if (pipeline.WantsContent && !_stopped)
        {
            _stopped = _decision.Add(await pipeline.HeadersAsync(session, HeaderBlock, cancellationToken));
        }
    }

    private async ValueTask FeedBodyAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (pipeline.WantsContent && !_stopped && !chunk.IsEmpty)
        {
            _stopped = _decision.Add(await pipeline.BodyChunkAsync(session, chunk, cancellationToken));
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override bool CanRead => false;

    public override bool CanSeek => false;
}
