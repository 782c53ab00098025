using System.Net;
using System.Text;
using MimeKit;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;

namespace Postern.Tests.Queue.Dsn;

/// <summary>Originals, outcomes and parsing helpers for DSN tests.</summary>
internal static class DsnTestData
{
    public const string Host = "mx.test";

    public static readonly DateTimeOffset Arrival = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 5, 0, TimeSpan.Zero);

    public const string Original =
        "Received: from client.example.org by mx.test; Wed, 1 May 2024 12:00:00 +0000\r\n" +
        "From: Alice <alice@example.org>\r\n" +
        "To: bob@example.net\r\n" +
        "Subject: Lunch\r\n" +
        "Message-ID: <lunch-1@example.org>\r\n" +
        "\r\n" +
        "Shall we meet at noon?\r\n" +
        "-- \r\nAlice\r\n";

    public static Envelope Envelope(Mailbox? sender, params EnvelopeRecipient[] recipients) => new()
    {
        Sender = sender,
        Recipients = recipients,
        Client = new ClientInfo(IPAddress.Loopback, "client.example.org", "ESMTP", "MTA"),
        ReceivedAt = Arrival,
    };

    public static Mailbox Alice { get; } = new("alice", "example.org");

    public static EnvelopeRecipient Recipient(string address, DsnNotify notify = DsnNotify.None, string? orcpt = null)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return new EnvelopeRecipient(new Mailbox(address[..at], address[(at + 1)..]), notify, orcpt);
    }

    public static QueuedMessage Message(Envelope envelope, string body = Original) => Message(envelope, Encoding.UTF8.GetBytes(body));

    public static QueuedMessage Message(Envelope envelope, byte[] body) =>
        new(QueueId.New(TimeProvider.System), envelope, body.Length, () => new MemoryStream(body, writable: false));

    public static RecipientOutcome Failed(EnvelopeRecipient recipient, SmtpReply? reply = null, string mailer = "local", string relay = "local") =>
        new(recipient, DeliveryStatus.Failed, reply ?? new SmtpReply(550, "5.1.1", "User unknown"), mailer, relay);

    public static byte[] Render(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var bytes = new MemoryStream();
        message.WriteTo(options, bytes);
        return bytes.ToArray();
    }

    public static MimeMessage Parse(byte[] bytes) => MimeMessage.Load(new MemoryStream(bytes));

    /// <summary>The report's three parts, after checking it is a multipart/report of delivery-status.</summary>
    public static (TextPart Text, MessageDeliveryStatus Status, MimeEntity Original) Parts(MimeMessage bounce)
    {
        var report = Assert.IsType<MultipartReport>(bounce.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.Equal(3, report.Count);
        var text = Assert.IsType<TextPart>(report[0]);
        Assert.True(text.IsPlain);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        return (text, status, report[2]);
    }
}
