using System.Globalization;
using System.Text;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Commands;

namespace Postern.Delivery.Relay;

internal sealed partial class SmtpRelayClient
{
    public const string MailerName = "esmtp";

    /// <summary>
    /// Sends one message to <paramref name="recipients"/> on this session and returns one outcome
    /// per recipient, in order: RCPT 2xx and final 2xx = Delivered with the final reply; 4xx =
    /// Deferred; 5xx = Failed; a DATA failure applies to every accepted recipient. A broken
    /// connection, a timeout or a 421 defers whatever is not decided and closes the session.
    /// The body goes out exactly as spooled, dot-stuffed only.
    /// </summary>
    public async ValueTask<IReadOnlyList<RecipientOutcome>> SendAsync(QueuedMessage message, IReadOnlyList<EnvelopeRecipient> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        var outcomes = new RecipientOutcome?[recipients.Count];
        if (_connection is null)
        {
            return Fill(outcomes, recipients, DeliveryStatus.Deferred, DeliveryReplies.NotConnected);
        }
        var envelope = message.Envelope;
        if (RequireTlsGate.Refusal(envelope, Relay, TlsAuthenticated, Capabilities) is { } requireTls)
        {
            _logger.RequireTlsRefused(message.Id.Value, Relay, requireTls.ToString());
            return Fill(outcomes, recipients, DeliveryStatus.Failed, requireTls);
        }
        // Connecting took time: an R-mode deadline may have passed since the queue runner checked it.
        var by = RemainingByTime(envelope);
        if (by is { Mode: DeliverByMode.Return, Seconds: <= 0 })
        {
            return Fill(outcomes, recipients, DeliveryStatus.Failed, DeliveryReplies.DeliverByExpired);
        }
        if (Capabilities.Size && Capabilities.MaxSize > 0 && message.BodyLength > Capabilities.MaxSize)
        {
            return Fill(outcomes, recipients, DeliveryStatus.Failed, DeliveryReplies.TooBig(Relay, Capabilities.MaxSize));
        }
        var utf8 = envelope.SmtpUtf8 || envelope.Sender?.NeedsSmtpUtf8 == true || recipients.Any(r => r.Address.NeedsSmtpUtf8);
        if (utf8 && !Capabilities.SmtpUtf8)
        {
            // No downgrade (RFC 6532 would allow one for some messages): fail what cannot go.
            var whole = envelope.SmtpUtf8 || envelope.Sender?.NeedsSmtpUtf8 == true;
            for (var i = 0; i < recipients.Count; i++)
            {
                if (whole || recipients[i].Address.NeedsSmtpUtf8)
                {
                    outcomes[i] = Outcome(recipients[i], DeliveryStatus.Failed, DeliveryReplies.SmtpUtf8NotOffered(Relay));
                }
            }
            utf8 = false;
        }
        var sending = Enumerable.Range(0, recipients.Count).Where(i => outcomes[i] is null).ToArray();
        if (sending.Length == 0)
        {
            return Fill(outcomes, recipients, DeliveryStatus.Failed, DeliveryReplies.SmtpUtf8NotOffered(Relay));
        }
        if (envelope.Body != BodyType.SevenBit && !Capabilities.EightBitMime)
        {
            // RFC 6152 would have us convert or bounce; like sendmail without its 8-to-7 option we send as is.
            _logger.EightBitWithoutSupport(message.Id.Value, Relay);
        }
        try
        {
            await TransactAsync(message, recipients, sending, MailCommand(message, utf8, by), outcomes, cancellationToken);
        }
        catch (ServiceClosingException e)
        {
            await AbortAsync();
            _logger.ConnectionLost(Relay, e.Reply.ToString());
            Fill(outcomes, recipients, DeliveryStatus.Deferred, e.Reply);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            await AbortAsync();
            _logger.ConnectionLost(Relay, e.Message);
            Fill(outcomes, recipients, DeliveryStatus.Deferred, DeliveryReplies.ConnectionLost(Relay, e.Message));
        }
        return Fill(outcomes, recipients, DeliveryStatus.Deferred, DeliveryReplies.NotConnected);
    }

    private async ValueTask TransactAsync(
        QueuedMessage message,
        IReadOnlyList<EnvelopeRecipient> recipients,
        int[] sending,
        string mailCommand,
        RecipientOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        var connection = Connection;
        var pipelining = Capabilities.Pipelining;
        connection.Queue(mailCommand);
        SmtpReply? mail = null;
        if (!pipelining)
        {
            await connection.FlushAsync(_options.CommandTimeout, cancellationToken);
            mail = await ReadAsync(cancellationToken);
            if (!mail.IsPositive)
            {
                SetAll(outcomes, recipients, sending, mail);
                await ResetAsync(cancellationToken);
                return;
            }
        }
        var rcptReplies = new SmtpReply[sending.Length];
        if (pipelining)
        {
            foreach (var i in sending)
            {
                connection.Queue(RcptCommand(recipients[i]));
            }
            connection.Queue("DATA");
            await connection.FlushAsync(_options.CommandTimeout, cancellationToken);
            mail = await ReadAsync(cancellationToken);
            for (var k = 0; k < sending.Length; k++)
            {
                rcptReplies[k] = await ReadAsync(cancellationToken);
            }
        }
        else
        {
            for (var k = 0; k < sending.Length; k++)
            {
                rcptReplies[k] = await CommandAsync(RcptCommand(recipients[sending[k]]), cancellationToken);
            }
        }
        var accepted = new List<int>();
        for (var k = 0; k < sending.Length; k++)
        {
            var reply = mail is { IsPositive: false } ? mail : rcptReplies[k];
            if (reply.IsPositive)
            {
                accepted.Add(sending[k]);
            }
            else
            {
                outcomes[sending[k]] = Outcome(recipients[sending[k]], Status(reply), reply);
            }
        }
        SmtpReply data;
        if (pipelining)
        {
            data = await ReadAsync(cancellationToken);
            if (data.Code == 354 && accepted.Count == 0)
            {
                // RFC 2920 3.1: DATA went ahead anyway; end it empty so the server drops it.
                connection.Queue(".");
                await connection.FlushAsync(_options.CommandTimeout, cancellationToken);
                await ReadAsync(cancellationToken);
                return;
            }
        }
        else if (accepted.Count == 0)
        {
            await ResetAsync(cancellationToken);
            return;
        }
        else
        {
            data = await CommandAsync("DATA", cancellationToken);
        }
        if (accepted.Count == 0)
        {
            return;
        }
        if (data.Code != 354)
        {
            var reply = data.IsPositive ? DeliveryReplies.UnexpectedDataReply(data) : data;
            SetAll(outcomes, recipients, accepted, reply);
            await ResetAsync(cancellationToken);
            return;
        }
        await using (var body = message.OpenBody())
        {
            await connection.WriteDataAsync(body, _options.DataTimeout, cancellationToken);
        }
        var final = await ReadAsync(cancellationToken, _options.DataTimeout);
        SetAll(outcomes, recipients, accepted, final);
    }

    /// <summary>
    /// The BY= request to pass on, its by-time now relative to this moment (RFC 2852: the time
    /// already spent is subtracted); null without a request. Whole seconds, rounded down,
    /// and kept within the nine digits the syntax allows.
    /// </summary>
    private DeliverByParameter? RemainingByTime(Envelope envelope)
    {
        if (envelope.DeliverBy is not { } by)
        {
            return null;
        }
        var seconds = Math.Floor((by.Deadline - _time.GetUtcNow()).TotalSeconds);
        const double limit = 999_999_999;
        return new DeliverByParameter((long)Math.Clamp(seconds, -limit, limit), by.Mode, by.Trace);
    }

    private string MailCommand(QueuedMessage message, bool utf8, DeliverByParameter? by)
    {
        var envelope = message.Envelope;
        var command = new StringBuilder("MAIL FROM:").Append(ReversePath.Format(envelope.Sender));
        if (Capabilities.Size)
        {
            command.Append(CultureInfo.InvariantCulture, $" SIZE={message.BodyLength}");
        }
        if (envelope.Body != BodyType.SevenBit && Capabilities.EightBitMime)
        {
            // BINARYMIME needs BDAT, which this client does not speak: 8BITMIME is the closest.
            command.Append(" BODY=8BITMIME");
        }
        if (utf8)
        {
            command.Append(" SMTPUTF8");
        }
        if (Capabilities.Dsn)
        {
            if (envelope.Return != DsnReturn.Unspecified)
            {
                command.Append(envelope.Return == DsnReturn.Full ? " RET=FULL" : " RET=HDRS");
            }
            if (envelope.EnvelopeId is { } envid)
            {
                command.Append(" ENVID=").Append(XtextCodec.Encode(envid));
            }
        }
        // A next hop without DELIVERBY still gets the message, in R mode too (RFC 2852 lets a
        // message be relayed to a server without the extension): our queue kept the deadline up
        // to this hand-off, and a trace or relayed notice can say the request ended here.
        if (by is not null && Capabilities.DeliverBy)
        {
            command.Append(" BY=").Append(by.Format());
        }
        if (envelope.RequireTls)
        {
            // RequireTlsGate let the message onto this session: the next hop offers REQUIRETLS.
            command.Append(" REQUIRETLS");
        }
        return command.ToString();
    }

    private string RcptCommand(EnvelopeRecipient recipient)
    {
        var command = new StringBuilder("RCPT TO:<").Append(recipient.Address).Append('>');
        if (Capabilities.Dsn)
        {
            DsnRecipientParameters.AppendTo(command, recipient);
        }
        return command.ToString();
    }

    private async ValueTask ResetAsync(CancellationToken cancellationToken) => await CommandAsync("RSET", cancellationToken);

    private void SetAll(RecipientOutcome?[] outcomes, IReadOnlyList<EnvelopeRecipient> recipients, IEnumerable<int> positions, SmtpReply reply)
    {
        foreach (var i in positions)
        {
            outcomes[i] = Outcome(recipients[i], Status(reply), reply);
        }
    }

    private RecipientOutcome[] Fill(RecipientOutcome?[] outcomes, IReadOnlyList<EnvelopeRecipient> recipients, DeliveryStatus status, SmtpReply reply)
    {
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] ??= Outcome(recipients[i], status, reply);
        }
        return outcomes.Select(o => o!).ToArray();
    }

    private static DeliveryStatus Status(SmtpReply reply) =>
        reply.IsPositive ? DeliveryStatus.Delivered : reply.IsTransientFailure ? DeliveryStatus.Deferred : DeliveryStatus.Failed;

    // Delivered to a hop without DSN: the DSN request stops here, so a SUCCESS notice says "relayed".
    private RecipientOutcome Outcome(EnvelopeRecipient recipient, DeliveryStatus status, SmtpReply reply) =>
        new(recipient, status, reply, MailerName, Relay) { NextHopLacksDsn = status == DeliveryStatus.Delivered && !Capabilities.Dsn };
}
