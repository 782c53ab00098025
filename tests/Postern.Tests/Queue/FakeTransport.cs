using System.Threading.Channels;
using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Tests.Queue;

/// <summary>
/// A transport whose answer is decided per call by a handler (given the envelope recipients); it
/// records each call with the recipients' indices in the envelope, checking that each index holds
/// that very recipient, and counts calls in flight.
/// </summary>
internal sealed class FakeTransport : ITransport
{
    private readonly Func<QueuedMessage, IReadOnlyList<EnvelopeRecipient>, CancellationToken, Task<IReadOnlyList<RecipientOutcome>>> _handler;
    private int _inFlight;
    private int _maxInFlight;

    public FakeTransport(Func<QueuedMessage, IReadOnlyList<EnvelopeRecipient>, CancellationToken, Task<IReadOnlyList<RecipientOutcome>>> handler) =>
        _handler = handler;

    public Channel<(QueueId Id, int[] Indices, byte[] Body)> Calls { get; } = Channel.CreateUnbounded<(QueueId, int[], byte[])>();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static FakeTransport Answering(Func<EnvelopeRecipient, DeliveryStatus> status) =>
        new((_, recipients, _) => Task.FromResult(Outcomes(recipients, status)));

    public static IReadOnlyList<RecipientOutcome> Outcomes(IReadOnlyList<EnvelopeRecipient> recipients, Func<EnvelopeRecipient, DeliveryStatus> status) =>
        [.. recipients.Select(r => Outcome(r, status(r)))];

    public static RecipientOutcome Outcome(EnvelopeRecipient recipient, DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => new(recipient, status, new(250, "2.0.0", "Ok"), "local", "local"),
        DeliveryStatus.Deferred => new(recipient, status, new(451, "4.2.0", "Mailbox busy"), "local", "local"),
        _ => new(recipient, status, new(550, "5.1.1", "User unknown"), "local", "local"),
    };

    public async ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message, IReadOnlyList<DeliveryRecipient> recipients, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
        try
        {
            var all = message.Envelope.Recipients;
            if (recipients.Any(r => !ReferenceEquals(all[r.Index], r.Recipient)))
            {
                throw new InvalidOperationException("a recipient's index does not point at it in the envelope");
            }
            var indices = recipients.Select(r => r.Index).ToArray();
            await using var body = message.OpenBody();
            using var copy = new MemoryStream();
            await body.CopyToAsync(copy, cancellationToken);
            Calls.Writer.TryWrite((message.Id, indices, copy.ToArray()));
            return await _handler(message, [.. recipients.Select(r => r.Recipient)], cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
