using MimeKit;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Stages;

namespace Postern.Queue.TlsReports;

/// <summary>
/// Queues a report mail for the domain's mailto: addresses, as the DSN sink queues bounces, but
/// from <c>tls_reporting.from</c>: RFC 8460 section 5.3 wants a real sender, and a report that
/// cannot be delivered bounces back there instead of vanishing. The queue then delivers it with
/// its usual retries, so once it is committed the report counts as sent. RFC 8460 section 5.3
/// wants the mail DKIM-signed by the reporting domain: with <see cref="LocalSubmissions"/> set it
/// passes the local submissions' stage handlers (the [[dkim]] signer among them) on the way in.
/// </summary>
public sealed class TlsReportMailer(IMessageQueue queue, TlsReportingOptions options, TimeProvider clock)
{
    private static readonly ClientInfo ReporterClient = new(null, null, "LOCAL", "tlsrpt");

    /// <summary>The stage handlers local submissions pass (the DKIM signer, local milters); null: straight into the queue.</summary>
    public ILocalSubmissionFilter? LocalSubmissions { get; init; }

    /// <summary>Commits the mail to the queue and returns its id; throws when the spool cannot take it.</summary>
    public async Task<QueueId> QueueAsync(TlsReport report, string policyDomain, string fileName, byte[] gzip, IReadOnlyList<Mailbox> to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        var now = clock.GetUtcNow();
        using var message = TlsReportMail.Create(report, policyDomain, fileName, gzip, to, options, now);
        var from = MailboxAddress.Parse(options.From);
        var at = from.Address.LastIndexOf('@');
        var envelope = new Envelope
        {
            Sender = new Mailbox(from.Address[..at], from.Address[(at + 1)..]),
            Recipients = [.. to.Select(m => new EnvelopeRecipient(m))],
            SmtpUtf8 = to.Any(m => m.NeedsSmtpUtf8),
            Client = ReporterClient,
            ReceivedAt = now,
        };
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.International = envelope.SmtpUtf8;
        if (LocalSubmissions is { } handlers)
        {
            return await SubmitAsync(handlers, envelope, message, format, cancellationToken);
        }
        await using var writer = await queue.BeginMessageAsync(envelope, cancellationToken);
        await message.WriteToAsync(format, writer.Body, cancellationToken);
        await writer.CommitAsync(cancellationToken);
        return writer.Id;
    }

    /// <summary>Through the handlers; anything but queued is a failed try (the report is tried again later).</summary>
    private static async Task<QueueId> SubmitAsync(
        ILocalSubmissionFilter handlers, Envelope envelope, MimeMessage message, FormatOptions format, CancellationToken cancellationToken)
    {
        // Bounded: the report is capped by TlsReportLimits, and the handlers read a stream.
        using var bytes = new MemoryStream();
        await message.WriteToAsync(format, bytes, cancellationToken);
        bytes.Position = 0;
        var result = await handlers.SubmitAsync(new LocalSubmissionRequest(envelope, "postern", bytes, (_, _) => ""), cancellationToken);
        return result.Outcome == LocalSubmissionOutcome.Queued && result.Id is { } id
            ? id
            : throw new IOException($"the local submission handlers did not queue the report ({result.Outcome}: {result.Reason})");
    }
}
