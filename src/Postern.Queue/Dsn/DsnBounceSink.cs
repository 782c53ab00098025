using Microsoft.Extensions.Logging;
using MimeKit;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Queue.Dsn;

/// <summary>
/// Turns permanent failures into RFC 3464 bounces from &lt;&gt;, injected back into the queue, and
/// likewise delay warnings and SUCCESS notices (delivered, relayed) as each recipient's NOTIFY asks;
/// those go to the sender only, never to &lt;&gt; or the postmaster. A
/// message from &lt;&gt; is never bounced to &lt;&gt;: its failures go to the postmaster (a double
/// bounce), and a failure to deliver to the postmaster from &lt;&gt; is only logged, so bounces
/// cannot loop. Anything that goes wrong throws: the runner keeps the failures and retries.
/// </summary>
public sealed class DsnBounceSink : IBounceSink
{
    private static readonly ClientInfo DsnClient = new(null, null, "LOCAL", "dsn");

    private readonly IMessageQueue _queue;
    private readonly string _hostName;
    private readonly Mailbox _postmaster;
    private readonly TimeProvider _clock;
    private readonly ILogger<DsnBounceSink> _logger;

    /// <param name="queue">Where bounces go: the same spool the runner delivers from.</param>
    /// <param name="hostName">This MTA's name: Reporting-MTA and MAILER-DAEMON@host.</param>
    /// <param name="postmasterAddress">Who gets double bounces, e.g. <c>postmaster@host</c>.</param>
    /// <param name="clock">For Date and Last-Attempt-Date.</param>
    /// <param name="logger">The mail log.</param>
    public DsnBounceSink(IMessageQueue queue, string hostName, string postmasterAddress, TimeProvider clock, ILogger<DsnBounceSink> logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostName);
        ArgumentException.ThrowIfNullOrWhiteSpace(postmasterAddress);
        var at = postmasterAddress.LastIndexOf('@');
        if (at <= 0 || at == postmasterAddress.Length - 1)
        {
            throw new ArgumentException($"'{postmasterAddress}' is not a mailbox (local@domain)", nameof(postmasterAddress));
        }
        _queue = queue;
        _hostName = hostName;
        _postmaster = new Mailbox(postmasterAddress[..at], postmasterAddress[(at + 1)..]);
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Largest original returned in full in a bounce; larger ones return their headers.</summary>
    public long ReturnLimit { get; init; } = DeliveryReportRequest.DefaultReturnLimit;

    public ValueTask ReportAsync(
        QueuedMessage message,
        IReadOnlyList<RecipientOutcome> outcomes,
        DsnAction action,
        DateTimeOffset? willRetryUntil,
        CancellationToken cancellationToken) =>
        action == DsnAction.Failed
            ? ReportFailuresAsync(message, outcomes, cancellationToken)
            : new(NotifySenderAsync(message, outcomes, action, willRetryUntil, cancellationToken));

    /// <summary>Bounces <paramref name="failures"/>: <see cref="ReportAsync"/> with <see cref="DsnAction.Failed"/>.</summary>
    public async ValueTask ReportFailuresAsync(QueuedMessage message, IReadOnlyList<RecipientOutcome> failures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
        {
            return;
        }
        if (message.Envelope.Sender is { } sender)
        {
            await BounceToSenderAsync(message, sender, failures, cancellationToken);
        }
        else
        {
            await BounceToPostmasterAsync(message, failures, cancellationToken);
        }
    }

    private async Task BounceToSenderAsync(QueuedMessage message, Mailbox sender, IReadOnlyList<RecipientOutcome> failures, CancellationToken cancellationToken)
    {
        var wanted = new List<RecipientOutcome>(failures.Count);
        foreach (var failure in failures)
        {
            if (DeliveryStatusReport.Wants(failure.Recipient, DsnAction.Failed))
            {
                wanted.Add(failure);
            }
            else
            {
                var recipient = failure.Recipient.Address.ToString();
                var notify = failure.Recipient.Notify.ToString().ToUpperInvariant();
                var reply = failure.Reply.ToString();
                _logger.NotRequested(message.Id.Value, recipient, notify, reply);
            }
        }
        if (wanted.Count == 0)
        {
            return;
        }
        var request = new DeliveryReportRequest(message, wanted, DsnAction.Failed, _hostName, _clock.GetUtcNow()) { ReturnLimit = ReturnLimit };
        var bounceId = await InjectAsync(request, sender, cancellationToken);
        if (bounceId is { } id)
        {
            var reason = Reason(wanted);
            _logger.BounceSent(message.Id.Value, id.Value, reason);
        }
    }

    /// <summary>A delay, delivered or relayed report to the sender, for the recipients whose NOTIFY asks for it.</summary>
    private async Task NotifySenderAsync(
        QueuedMessage message,
        IReadOnlyList<RecipientOutcome> outcomes,
        DsnAction action,
        DateTimeOffset? willRetryUntil,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(outcomes);
        var deliverBy = message.Envelope.DeliverBy;
        var wanted = outcomes.Where(o => DeliveryStatusReport.Wants(o.Recipient, action, deliverBy)).ToList();
        // Only failures ever go to the postmaster: a message from <> gets no delay or success notice.
        if (message.Envelope.Sender is not { } sender || wanted.Count == 0)
        {
            return;
        }
        var request = new DeliveryReportRequest(message, wanted, action, _hostName, _clock.GetUtcNow())
        {
            ReturnLimit = ReturnLimit,
            WillRetryUntil = action == DsnAction.Delayed ? willRetryUntil : null,
        };
        var reportId = await InjectAsync(request, sender, cancellationToken);
        if (reportId is { } id)
        {
            var reason = Reason(wanted);
            var name = action.ToString().ToLowerInvariant();
            _logger.NoticeSent(message.Id.Value, id.Value, name, reason);
        }
    }

    private async Task BounceToPostmasterAsync(QueuedMessage message, IReadOnlyList<RecipientOutcome> failures, CancellationToken cancellationToken)
    {
        var reportable = new List<RecipientOutcome>(failures.Count);
        foreach (var failure in failures)
        {
            // A bounce from <> to the postmaster that fails (a double bounce, or a remote MTA's
            // bounce to our postmaster) would only produce another one to the same postmaster.
            if (IsPostmaster(failure.Recipient.Address))
            {
                var recipient = failure.Recipient.Address.ToString();
                var reply = failure.Reply.ToString();
                _logger.DoubleBounceDropped(message.Id.Value, recipient, reply);
            }
            else
            {
                reportable.Add(failure);
            }
        }
        if (reportable.Count == 0)
        {
            return;
        }
        var request = new DeliveryReportRequest(message, reportable, DsnAction.Failed, _hostName, _clock.GetUtcNow())
        {
            To = _postmaster,
            IgnoreNotify = true,
            ReturnLimit = ReturnLimit,
        };
        var bounceId = await InjectAsync(request, _postmaster, cancellationToken);
        if (bounceId is { } id)
        {
            var reason = Reason(reportable);
            _logger.PostmasterNotified(message.Id.Value, id.Value, reason);
        }
    }

    private bool IsPostmaster(Mailbox address) =>
        address.IsInDomain(_postmaster.Domain)
        && (string.Equals(address.LocalPart, _postmaster.LocalPart, StringComparison.OrdinalIgnoreCase)
            || string.Equals(address.LocalPart, "postmaster", StringComparison.OrdinalIgnoreCase));

    /// <summary>Builds the report and commits it to the queue from &lt;&gt; with NOTIFY=NEVER; null when there was nothing to report.</summary>
    private async Task<QueueId?> InjectAsync(DeliveryReportRequest request, Mailbox to, CancellationToken cancellationToken)
    {
        using var report = await DeliveryStatusReport.CreateAsync(request, cancellationToken);
        if (report is null)
        {
            return null;
        }
        var smtpUtf8 = request.Message.Envelope.SmtpUtf8 || to.NeedsSmtpUtf8;
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.International = smtpUtf8;

        // Bounded (the original is capped), and the envelope's BODY= must be known before writing.
        using var bytes = new MemoryStream();
        await report.WriteToAsync(format, bytes, cancellationToken);
        var envelope = new Envelope
        {
            Sender = null,
            Recipients = [new EnvelopeRecipient(to, DsnNotify.Never)],
            Body = DeliveryStatusReport.HasEightBit(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)) ? BodyType.EightBitMime : BodyType.SevenBit,
            SmtpUtf8 = smtpUtf8,
            Return = DsnReturn.Headers,
            // RFC 8689 5: the report carries the original's header, so it needs the same protection.
            RequireTls = request.Message.Envelope.RequireTls,
            Client = DsnClient,
            ReceivedAt = request.Now,
        };
        await using var writer = await _queue.BeginMessageAsync(envelope, cancellationToken);
        bytes.Position = 0;
        await bytes.CopyToAsync(writer.Body, cancellationToken);
        await writer.CommitAsync(cancellationToken);
        return writer.Id;
    }

    /// <summary>sendmail's DSN log reason: the first failure's reply text.</summary>
    private static string Reason(List<RecipientOutcome> reported) =>
        MailLogFormat.OneLine(string.Join(' ', reported[0].Reply.Lines));
}
