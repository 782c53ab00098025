using System.Text;
using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Tests.Delivery;

internal static class TestMessages
{
    public static QueueId Id { get; } = QueueId.Parse("0123456789ABCDEF");

    public static DateTimeOffset ReceivedAt { get; } = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static byte[] Body { get; } = Encoding.ASCII.GetBytes("Subject: hi\r\n\r\nFrom here\r\nbody\r\n");

    public static Mailbox Sender { get; } = new("sender", "remote.test");

    public static EnvelopeRecipient Recipient(string address)
    {
        var at = address.LastIndexOf('@');
        return new EnvelopeRecipient(new Mailbox(address[..at], address[(at + 1)..]));
    }

    public static QueuedMessage Create(IReadOnlyList<EnvelopeRecipient> recipients, byte[]? body = null, Mailbox? sender = null, bool nullSender = false)
    {
        body ??= Body;
        var envelope = new Envelope
        {
            Sender = nullSender ? null : sender ?? Sender,
            Recipients = recipients,
            Client = new ClientInfo(null, null, "LOCAL", "local"),
            ReceivedAt = ReceivedAt,
        };
        return new QueuedMessage(Id, envelope, body.Length, () => new MemoryStream(body, writable: false));
    }
}
