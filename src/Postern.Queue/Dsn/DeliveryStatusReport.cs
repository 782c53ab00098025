using System.Text;
using MimeKit;
using MimeKit.Utils;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Queue.Dsn;

/// <summary>
/// Builds an RFC 3464 delivery status notification as a MimeKit message: a multipart/report with
/// a human-readable part, a message/delivery-status part and the original (RFC 3461 RET).
/// </summary>
public static class DeliveryStatusReport
{
    public const string MailerDaemon = "MAILER-DAEMON";

    /// <summary>Whether <paramref name="recipient"/>'s NOTIFY asks for a report with <paramref name="action"/>.</summary>
    public static bool Wants(EnvelopeRecipient recipient, DsnAction action) => Wants(recipient, action, deliverBy: null);

    /// <summary>
    /// Whether <paramref name="recipient"/>'s NOTIFY asks for a report with <paramref name="action"/>;
    /// a DELIVERBY trace request (RFC 2852 T) counts as NOTIFY=SUCCESS unless NOTIFY=NEVER.
    /// </summary>
    public static bool Wants(EnvelopeRecipient recipient, DsnAction action, DeliverBy? deliverBy)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var notify = recipient.Notify;
        if (notify.HasFlag(DsnNotify.Never))
        {
            return false;
        }
        return action switch
        {
            // Without NOTIFY the MTA reports failures and may warn about delays (RFC 3461 4.1).
            DsnAction.Failed => notify == DsnNotify.None || notify.HasFlag(DsnNotify.Failure),
            DsnAction.Delayed => notify == DsnNotify.None || notify.HasFlag(DsnNotify.Delay),
            _ => notify.HasFlag(DsnNotify.Success) || deliverBy is { Trace: true },
        };
    }

    /// <summary>
    /// The report, or null when no listed recipient asked for one (NOTIFY) or there is nobody to
    /// send it to (the null sender and no explicit <see cref="DeliveryReportRequest.To"/>).
    /// </summary>
    public static async Task<MimeMessage?> CreateAsync(DeliveryReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var envelope = request.Message.Envelope;
        var to = request.To ?? envelope.Sender;
        var listed = request.Outcomes.Where(o => request.IgnoreNotify || Wants(o.Recipient, request.Action, envelope.DeliverBy)).ToArray();
        if (to is null || listed.Length == 0)
        {
            return null;
        }

        var report = new MultipartReport("delivery-status")
        {
            HumanReadablePart(request, listed),
            StatusPart(request, listed),
            await OriginalPartAsync(request.Message, request.ReturnLimit, cancellationToken),
        };
        var message = new MimeMessage
        {
            Subject = Subject(request.Action, request.IgnoreNotify),
            Date = request.Now,
            MessageId = MimeUtils.GenerateMessageId(request.ReportingMta),
            Body = report,
        };
        message.From.Add(new MailboxAddress("Mail Delivery System", MailerDaemon + "@" + request.ReportingMta));
        message.To.Add(new MailboxAddress(string.Empty, to.ToString()));
        message.Headers.Add("Auto-Submitted", "auto-replied");
        return message;
    }

    private static string Subject(DsnAction action, bool postmasterCopy) => (action, postmasterCopy) switch
    {
        (DsnAction.Failed, true) => "Postmaster Copy: Undelivered Mail",
        (DsnAction.Failed, _) => "Undelivered Mail Returned to Sender",
        (DsnAction.Delayed, _) => "Delayed Mail (still being retried)",
        (DsnAction.Relayed, _) => "Relayed Mail Delivery Report",
        _ => "Successful Mail Delivery Report",
    };

    private static TextPart HumanReadablePart(DeliveryReportRequest request, RecipientOutcome[] listed)
    {
        var text = new StringBuilder();
        text.Append("This is the mail system at host ").Append(request.ReportingMta).Append(".\r\n\r\n");
        text.Append(request.Action switch
        {
            DsnAction.Failed => "I'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients. It's attached below.\r\n",
            DsnAction.Delayed => "Your message could not be delivered yet to one or more recipients.\r\nIt will be retried; you do not need to send it again.\r\n",
            DsnAction.Relayed => "Your message was relayed to a system that does not send delivery\r\nstatus notifications; you may get no further report.\r\n",
            _ => "Your message was successfully delivered to the recipients listed below.\r\n",
        });
        if (request.IgnoreNotify)
        {
            text.Append("\r\nThis is a copy for the postmaster: the message was itself a bounce\r\nor had no return address.\r\n");
        }
        foreach (var outcome in listed)
        {
            text.Append("\r\n<").Append(outcome.Recipient.Address).Append(">: ");
            text.Append(MailLogFormat.OneLine(outcome.Reply.ToString()));
            if (outcome.Mailer.Length > 0)
            {
                text.Append(" (mailer ").Append(outcome.Mailer);
                if (outcome.Relay.Length > 0)
                {
                    text.Append(", relay ").Append(MailLogFormat.OneLine(outcome.Relay));
                }
                text.Append(')');
            }
            text.Append("\r\n");
        }
        var part = new TextPart("plain") { Text = text.ToString() };
        part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.SevenBit, 998);
        return part;
    }

    private static MessageDeliveryStatus StatusPart(DeliveryReportRequest request, RecipientOutcome[] listed)
    {
        var envelope = request.Message.Envelope;
        var part = new MessageDeliveryStatus();
        var perMessage = new HeaderList();
        if (envelope.EnvelopeId is { } envelopeId)
        {
            perMessage.Add("Original-Envelope-Id", Field(envelopeId));
        }
        perMessage.Add("Reporting-MTA", "dns; " + request.ReportingMta);
        perMessage.Add("Arrival-Date", DateUtils.FormatDate(request.ArrivalDate ?? envelope.ReceivedAt));
        part.StatusGroups.Add(perMessage);
        foreach (var outcome in listed)
        {
            part.StatusGroups.Add(RecipientFields(request, outcome));
        }
        return part;
    }

    private static HeaderList RecipientFields(DeliveryReportRequest request, RecipientOutcome outcome)
    {
        var fields = new HeaderList();
        if (outcome.Recipient.OriginalRecipient is { } original)
        {
            var value = Field(original);
            fields.Add("Original-Recipient", value.Contains(';', StringComparison.Ordinal) ? value : "rfc822;" + value);
        }
        fields.Add("Final-Recipient", AddressField(outcome.Recipient.Address));
        fields.Add("Action", request.Action.ToString().ToLowerInvariant());
        fields.Add("Status", MailLogFormat.Dsn(outcome.Reply));
        if (RemoteMta(outcome) is { } remote)
        {
            fields.Add("Remote-MTA", "dns; " + remote);
        }
        fields.Add("Diagnostic-Code", "smtp; " + Field(outcome.Reply.ToString()));
        fields.Add("Last-Attempt-Date", DateUtils.FormatDate(request.Now));
        if (request.Action == DsnAction.Delayed && request.WillRetryUntil is { } until)
        {
            fields.Add("Will-Retry-Until", DateUtils.FormatDate(until));
        }
        return fields;
    }

    /// <summary>rfc822 for ASCII addresses, utf-8 (RFC 6533) for internationalized ones.</summary>
    private static string AddressField(Mailbox address) =>
        (address.NeedsSmtpUtf8 ? "utf-8; " : "rfc822; ") + address;

    /// <summary>The remote server's name when the reply came from one (an SMTP mailer), from a relay like <c>mx.example.org. [192.0.2.1]</c>.</summary>
    private static string? RemoteMta(RecipientOutcome outcome)
    {
        if (outcome.Mailer is not ("esmtp" or "smtp" or "relay") || outcome.Relay.Length == 0)
        {
            return null;
        }
        var host = outcome.Relay.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd('.');
        return host.Length == 0 ? null : Field(host);
    }

    /// <summary>A field value on one line: whatever a remote server or a client sent cannot add fields.</summary>
    private static string Field(string value) => MailLogFormat.OneLine(value).Trim();

    /// <summary>The original as RET asks (RFC 3461 4.3): whole when FULL or unspecified and small enough, else its headers.</summary>
    private static async Task<MimeEntity> OriginalPartAsync(QueuedMessage original, long limit, CancellationToken cancellationToken)
    {
        var envelope = original.Envelope;
        // BINARYMIME content may hold bare CR or LF, which a CRLF-normalized report would damage: headers only.
        var full = envelope.Return != DsnReturn.Headers && original.BodyLength <= limit && envelope.Body != BodyType.BinaryMime;
        await using var body = original.OpenBody();
        if (full)
        {
            var bytes = await OriginalContent.ReadAllAsync(body, limit, cancellationToken);
            try
            {
                var parsed = await MimeMessage.LoadAsync(new MemoryStream(bytes, writable: false), cancellationToken);
                var part = new MessagePart("rfc822") { Message = parsed };
                if (HasEightBit(bytes))
                {
                    part.Headers.Add(HeaderId.ContentTransferEncoding, "8bit");
                }
                return part;
            }
            catch (FormatException)
            {
                // Not parseable as a message: fall back to returning its header lines.
                return await HeadersPartAsync(await OriginalContent.ReadHeadersAsync(new MemoryStream(bytes, writable: false), limit, cancellationToken), cancellationToken);
            }
        }
        return await HeadersPartAsync(await OriginalContent.ReadHeadersAsync(body, limit, cancellationToken), cancellationToken);
    }

    /// <summary>text/rfc822-headers holding exactly the header lines read (MimeKit keeps their raw bytes).</summary>
    private static async Task<MimeEntity> HeadersPartAsync(byte[] headers, CancellationToken cancellationToken)
    {
        HeaderList list;
        try
        {
            list = headers.Length == 0
                ? new HeaderList()
                : await HeaderList.LoadAsync(new MemoryStream([.. headers, .. "\r\n"u8]), cancellationToken);
        }
        catch (FormatException)
        {
            // A client may send lines that are no header fields (a first line without a colon):
            // they are returned as they are, as Postfix does, rather than the report failing.
            return RawHeadersPart(headers);
        }
        var part = new TextRfc822Headers(new MimeMessage(list));
        if (HasEightBit(headers))
        {
            part.Headers.Add(HeaderId.ContentTransferEncoding, "8bit");
        }
        return part;
    }

    /// <summary>text/rfc822-headers whose content is <paramref name="lines"/> byte for byte (each ends in CRLF).</summary>
    private static MimePart RawHeadersPart(byte[] lines) => new("text", "rfc822-headers")
    {
        Content = new MimeContent(new MemoryStream(lines, writable: false)),
        ContentTransferEncoding = HasEightBit(lines) ? ContentEncoding.EightBit : ContentEncoding.SevenBit,
    };

    internal static bool HasEightBit(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0;
}
