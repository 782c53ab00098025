using System.Net;
using MimeKit;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Client;
using Postern.Queue.Dsn;

namespace Postern.Fuzz.Targets;

/// <summary>
/// A delivery status notification as a bounce makes it: the input starts with a remote server's
/// reply (read by <see cref="SmtpReplyReader"/>, which refuses malformed replies with
/// <see cref="SmtpProtocolException"/>); the rest is the original message. The report is built with
/// RET=FULL and RET=HDRS, written out and parsed back: whatever the remote server or the original
/// holds, the report has exactly its own header fields and delivery-status fields (nothing
/// injected), one status group per recipient, and its three parts.
/// </summary>
internal static class DsnTarget
{
    private const long ReturnLimit = 4096;

    private static readonly HashSet<string> TopFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Subject", "Date", "Message-Id", "MIME-Version", "Content-Type", "Auto-Submitted",
    };

    private static readonly HashSet<string> StatusFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Original-Envelope-Id", "Reporting-MTA", "Arrival-Date", "Original-Recipient", "Final-Recipient", "Action",
        "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date", "Will-Retry-Until",
    };

    public static void Run(byte[] input)
    {
        var reader = PipeInput.Whole(input);
        SmtpReply reply;
        try
        {
            reply = new SmtpReplyReader().ReadAsync(reader, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (SmtpProtocolException)
        {
            return;
        }
        FuzzInvariantException.Require(reply.Lines.All(line => !line.Any(c => char.IsControl(c) && c != '\t')), "a remote reply's lines carry no control character");
        var original = PipeInput.Rest(reader);
        Report(reply, original, DsnReturn.Full);
        Report(reply, original, DsnReturn.Headers);
    }

    private static void Report(SmtpReply reply, byte[] original, DsnReturn ret)
    {
        var text = reply.Lines[0];
        var recipient = new EnvelopeRecipient(new Mailbox("bob", "example.net"), DsnNotify.Failure | DsnNotify.Delay | DsnNotify.Success, "rfc822;" + text);
        var envelope = new Envelope
        {
            Sender = new Mailbox("alice", "example.org"),
            Recipients = [recipient],
            Return = ret,
            EnvelopeId = text,
            Client = new ClientInfo(IPAddress.Loopback, "client.example.org", "ESMTP", "mta"),
            ReceivedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };
        var message = new QueuedMessage(QueueId.Parse("0123456789ABCDEF"), envelope, original.Length, () => new MemoryStream(original, writable: false));
        var (status, action) = reply.Code switch
        {
            >= 500 => (DeliveryStatus.Failed, DsnAction.Failed),
            >= 400 => (DeliveryStatus.Deferred, DsnAction.Delayed),
            _ => (DeliveryStatus.Delivered, DsnAction.Delivered),
        };
        var outcome = new RecipientOutcome(recipient, status, reply, "esmtp", text + " [192.0.2.1]");
        var request = new DeliveryReportRequest(message, [outcome], action, "mx.test", envelope.ReceivedAt.AddHours(1))
        {
            ReturnLimit = ReturnLimit,
            WillRetryUntil = envelope.ReceivedAt.AddDays(5),
        };
        var report = DeliveryStatusReport.CreateAsync(request, CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new FuzzInvariantException("a recipient that asked for every notice gets a report");
        using var written = new MemoryStream();
        report.WriteTo(written);
        written.Position = 0;
        var parsed = MimeMessage.Load(written);
        var unexpected = parsed.Headers.Select(h => h.Field).Where(f => !TopFields.Contains(f)).ToList();
        FuzzInvariantException.Require(unexpected.Count == 0, "the report has only its own header fields, not " + string.Join(", ", unexpected));
        if (parsed.Body is not MultipartReport { Count: 3 } parts || parts[1] is not MessageDeliveryStatus statusPart)
        {
            throw new FuzzInvariantException("the report is a multipart/report of three parts, the second a delivery-status");
        }
        // MimeKit reads the blank line that ends the last group as one more, empty group.
        var groups = statusPart.StatusGroups.Where(g => g.Count > 0).ToList();
        FuzzInvariantException.Require(groups.Count == 2, $"one per-message group and one per recipient, not {groups.Count} groups");
        foreach (var field in groups.SelectMany(g => g).Select(h => h.Field))
        {
            FuzzInvariantException.Require(StatusFields.Contains(field), "a delivery-status field is one of the report's own, not " + field);
        }
    }
}
