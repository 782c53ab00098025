using System.Globalization;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Commands;

namespace Postern.Server.Session;

internal sealed partial class SmtpSession
{
    internal async ValueTask<SmtpReply?> MailAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        var parsed = MailFromParser.ParseMailFrom(command.Argument);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }
        var mail = parsed.Value!;
        if (!_state.Extended && HasParameters(mail))
        {
            return Replies.ParametersNeedEhlo;
        }
        var sender = ReversePath.Format(mail.Sender);
        if (mail.Body == BodyType.BinaryMime)
        {
            Refused("check_mail", sender, Replies.BinaryMimeUnsupported, "body_type", "BODY=BINARYMIME is not supported");
            return Replies.BinaryMimeUnsupported;
        }
        if (mail.Size > Options.MaxMessageSize)
        {
            var detail = "SIZE=" + mail.Size.Value.ToString(CultureInfo.InvariantCulture) + " over max_message_size (" + Options.MaxMessageSize.ToString(CultureInfo.InvariantCulture) + ")";
            Refused("check_mail", sender, Replies.MessageTooBig, "message_size", detail);
            return Replies.MessageTooBig;
        }
        if (mail.RequireTls && !_state.Facts.IsTls)
        {
            // RFC 8689 4.1: the option is only meaningful on a session that is itself encrypted.
            Refused("check_mail", sender, Replies.RequireTlsNeedsTls, "requiretls", "REQUIRETLS without TLS");
            return Replies.RequireTlsNeedsTls;
        }
        if (mail.Sender is { NeedsSmtpUtf8: true } && !mail.SmtpUtf8)
        {
            Refused("check_mail", sender, Replies.Utf8NeedsSmtpUtf8, "smtputf8", "a UTF-8 address without SMTPUTF8");
            return Replies.Utf8NeedsSmtpUtf8;
        }
        _state.ChooseQueueId(QueueId.New(_services.Clock));
        var decision = await Pipeline.MailAsync(_state.Facts, mail.Sender, mail.ParameterList, cancellationToken);
        if (!decision.IsAccepted)
        {
            Reject("check_mail", sender, decision);
            // Handlers before the one that refused have seen MAIL: the transaction they began is over.
            await Pipeline.AbortAsync(_state.Facts, CancellationToken.None);
            return decision.Reply!;
        }
        _state.MailAccepted(StartTransaction(mail, decision));
        return Replies.SenderOk;
    }

    internal async ValueTask<SmtpReply?> RcptAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        var transaction = _state.Transaction!;
        var parsed = RcptToParser.ParseRcptTo(command.Argument);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }
        var rcpt = parsed.Value!;
        if (!_state.Extended && (rcpt.Notify != DsnNotify.None || rcpt.OriginalRecipient is not null))
        {
            return Replies.ParametersNeedEhlo;
        }
        if (transaction.Recipients.Count >= Options.MaxRecipients)
        {
            Refused("check_rcpt", "<" + Printable(rcpt.Recipient.ToString()) + ">", Replies.TooManyRecipients, "too_many_recipients", "over max_recipients (" + Options.MaxRecipients.ToString(CultureInfo.InvariantCulture) + ")");
            return SoftRecipientRefusal(transaction, Replies.TooManyRecipients);
        }
        // RFC 5321 4.5.1: a bare <Postmaster> means the postmaster of this host.
        var recipient = rcpt.Recipient.Domain.Length == 0 ? rcpt.Recipient with { Domain = Options.HostName } : rcpt.Recipient;
        if (recipient.NeedsSmtpUtf8 && !transaction.Mail.SmtpUtf8)
        {
            Refused("check_rcpt", "<" + Printable(recipient.ToString()) + ">", Replies.Utf8NeedsSmtpUtf8, "smtputf8", "a UTF-8 address without SMTPUTF8");
            return Replies.Utf8NeedsSmtpUtf8;
        }
        var decision = await Pipeline.RecipientAsync(_state.Facts, transaction.Sender, recipient, rcpt.ParameterList, cancellationToken);
        if (!decision.IsAccepted)
        {
            Reject("check_rcpt", "<" + Printable(recipient.ToString()) + ">", decision);
            return decision.Reply!.Code < 500 ? SoftRecipientRefusal(transaction, decision.Reply) : decision.Reply;
        }
        NoteVerdict(transaction, "check_rcpt", "<" + Printable(recipient.ToString()) + ">", decision);
        _state.RecipientAdded(new EnvelopeRecipient(recipient, rcpt.Notify, rcpt.OriginalRecipient));
        return Replies.RecipientOk;
    }

    /// <summary>
    /// A temporary RCPT refusal: over the recipient limit (RFC 5321 4.5.3.1.10: the client sends
    /// the rest in another transaction) or a policy's 4xx (greylisting, a failed lookup). It does
    /// not count as an error up to the overshoot allowance (Postfix's smtpd_recipient_overshoot_limit),
    /// so a client that pipelines too many recipients keeps its session and its accepted ones.
    /// </summary>
    private SmtpReply SoftRecipientRefusal(MailTransaction transaction, SmtpReply reply)
    {
        if (transaction.SoftRecipientRefusals++ < Options.RecipientOvershootLimit)
        {
            _state.RefusalForgiven();
        }
        return reply;
    }

    private static bool HasParameters(MailFromCommand mail) =>
        mail.Size is not null || mail.Body is not null || mail.SmtpUtf8 || mail.Return != DsnReturn.Unspecified
        || mail.EnvelopeId is not null || mail.Auth is not null || mail.DeliverBy is not null || mail.RequireTls;
}
