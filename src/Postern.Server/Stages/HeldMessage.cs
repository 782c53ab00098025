using Postern.Core.Queueing;
using Postern.Core.Stages;
using Postern.Core.Tls;
using Postern.Server.Session;

namespace Postern.Server.Stages;

/// <summary>
/// The message while handlers may still edit it: the client's bytes go to a private temporary
/// file, and only after the end-of-data stage is the spool file written, from the draft (the
/// envelope as edited, the Received header, the header fields as edited, then the body, the
/// original or a handler's replacement, copied in chunks). <see cref="Id"/> is the id chosen for
/// the message (at MAIL, for a session), which the spool file takes when the queue honours it.
/// </summary>
internal sealed class HeldMessage : IMessageWriter
{
    private const int CopyBufferSize = 64 * 1024;
    private readonly string _path;
    private readonly FileStream _received;
    private IMessageWriter? _spooled;

    public HeldMessage(QueueId id, string directory)
    {
        _path = Path.Combine(directory, "postern-held-" + id.Value);
        _received = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, CopyBufferSize, FileOptions.Asynchronous);
        Id = id;
    }

    public QueueId Id { get; private set; }

    /// <summary>Where the client's message (headers and body, no Received header) goes.</summary>
    public Stream Body => _received;

    /// <summary>Writes out what is buffered of the received message, so that <see cref="OpenReceivedBody"/> reads all of it.</summary>
    public Task FlushReceivedAsync(CancellationToken cancellationToken) => _received.FlushAsync(cancellationToken);

    /// <summary>Opens the body as received, after a header block of <paramref name="headerLength"/> bytes.</summary>
    public Stream OpenReceivedBody(int headerLength)
    {
        var reader = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, CopyBufferSize, FileOptions.Asynchronous);
        reader.Seek(headerLength, SeekOrigin.Begin);
        return reader;
    }

    /// <summary>
    /// Writes the spool file from <paramref name="draft"/>: begins it with the draft's envelope,
    /// writes the Received header (for the spool's id), the header fields, the empty line when the
    /// message had one, and the body.
    /// </summary>
    /// <exception cref="IOException">The spool could not be written.</exception>
    public ValueTask WriteSpoolFileAsync(
        IMessageQueue queue, MessageDraft draft, bool hadEmptyLine, string hostName, TlsFacts? tls, CancellationToken cancellationToken) =>
        WriteSpoolFileAsync(queue, draft, hadEmptyLine, (envelope, id) => ReceivedHeader.Build(envelope, id, hostName, tls), cancellationToken);

    /// <summary>
    /// As the other overload, with the trace header <paramref name="traceHeader"/> makes from the
    /// draft's envelope and the spool's id (a local submission's names the submitting user).
    /// </summary>
    /// <exception cref="IOException">The spool could not be written.</exception>
    public async ValueTask WriteSpoolFileAsync(
        IMessageQueue queue, MessageDraft draft, bool hadEmptyLine, Func<Envelope, QueueId, ReadOnlyMemory<byte>> traceHeader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(traceHeader);
        await _received.FlushAsync(cancellationToken);
        // The id chosen at MAIL, which the handlers already saw, becomes the spool's.
        var spooled = await queue.BeginMessageAsync(draft.Envelope, Id, cancellationToken);
        _spooled = spooled;
        Id = spooled.Id;
        var output = spooled.Body;
        await output.WriteAsync(traceHeader(draft.Envelope, spooled.Id), cancellationToken);
        foreach (var field in draft.Headers)
        {
            await output.WriteAsync(field.ToBytes(), cancellationToken);
        }
        if (hadEmptyLine)
        {
            await output.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }
        var body = draft.OpenBody();
        await using (body)
        {
            await body.CopyToAsync(output, CopyBufferSize, cancellationToken);
        }
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken) => CommitAsync(null, cancellationToken);

    public ValueTask CommitAsync(string? quarantineReason, CancellationToken cancellationToken) =>
        _spooled is { } spooled
            ? spooled.CommitAsync(quarantineReason, cancellationToken)
            : throw new InvalidOperationException("The spool file is written from the draft before the commit");

    public async ValueTask DisposeAsync()
    {
        if (_spooled is { } spooled)
        {
            await spooled.DisposeAsync();
        }
        await _received.DisposeAsync();
        File.Delete(_path);
    }
}
