using System.Net;
using System.Text;
using System.Text.Json;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Fuzz.Seeds;

/// <summary>Spool files as the spool writes them (one plain, one with every optional field) and a journal.</summary>
internal static class SpoolSeeds
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static IEnumerable<byte[]> Files()
    {
        var plain = new Envelope
        {
            Sender = new Mailbox("alice", "example.org"),
            Recipients = [new EnvelopeRecipient(new Mailbox("bob", "example.net"))],
            Client = new ClientInfo(IPAddress.Parse("192.0.2.7"), "client.example.org", "ESMTP", "mta"),
            ReceivedAt = At,
        };
        yield return File(plain, "Subject: hi\r\n\r\nHello.\r\n");
        var full = plain with
        {
            Sender = null,
            Recipients = [new EnvelopeRecipient(new Mailbox("\"b c\"", "[192.0.2.1]"), DsnNotify.Failure | DsnNotify.Delay, "rfc822;b@example.net"), new EnvelopeRecipient(new Mailbox("δοκιμή", "παράδειγμα.δοκιμή"))],
            Body = BodyType.EightBitMime,
            SmtpUtf8 = true,
            Return = DsnReturn.Headers,
            EnvelopeId = "QQ314159",
            AuthParameter = "<>",
            DeliverBy = new DeliverBy(At.AddHours(1), DeliverByMode.Return, true),
            Client = new ClientInfo(IPAddress.Parse("2001:db8::7"), null, "ESMTPSA", "submission", "alice"),
            QuarantineReason = "held for review",
        };
        yield return File(full, "Subject: =?utf-8?q?caf=C3=A9?=\r\n\r\n\u00e9t\u00e9\r\n");
        var journal = new JournalEntry { Recipient = 0, Kind = JournalKind.Deferred, Code = 451, Status = "4.3.0", Lines = ["try later"], Mailer = "esmtp", Relay = "mx.example.net. [192.0.2.1]", At = At, Attempts = 1 };
        var delivered = new JournalEntry { Recipient = 0, Kind = JournalKind.Delivered, Code = 250, Status = "2.0.0", Lines = ["Ok"], Mailer = "esmtp", Relay = "mx.example.net. [192.0.2.1]", At = At.AddMinutes(5) };
        yield return [.. Line(journal), .. Line(delivered), .. "{\"recipient\":1,"u8];
    }

    private static byte[] File(Envelope envelope, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return [.. SpoolFormat.Header(EnvelopeMapper.ToRecord(envelope, At)), .. bytes, .. SpoolFormat.Trailer(bytes.Length)];
    }

    private static byte[] Line(JournalEntry entry) => [.. JsonSerializer.SerializeToUtf8Bytes(entry, SpoolJsonContext.Default.JournalEntry), (byte)'\n'];
}
