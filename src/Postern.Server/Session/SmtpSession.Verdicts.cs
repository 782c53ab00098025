using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Protocol.Commands;
using Postern.Server.Logging;

namespace Postern.Server.Session;

/// <summary>
/// DISCARD and QUARANTINE verdicts, as sendmail acts on them: the client is answered as for an
/// acceptance either way. DISCARD anywhere in a transaction drops the whole message at end of
/// data (250 with an id, nothing queued); QUARANTINE queues it on hold with the reason. A verdict
/// at connect or HELO applies to every transaction of the session and is not undone by a later
/// HELO/EHLO or STARTTLS, so a client cannot greet its way out of it.
/// </summary>
internal sealed partial class SmtpSession
{
    /// <summary>Connect and HELO stage: remembers DISCARD/QUARANTINE for the rest of the session.</summary>
    private void NoteSessionVerdict(string stage, string argument, PolicyDecision decision)
    {
        switch (decision.Verdict)
        {
            case PolicyVerdict.Discard:
                Log.DiscardVerdict(stage, argument, _relay, decision.Reason);
                _state.SessionDiscarded(Describe(stage, decision));
                break;
            case PolicyVerdict.Quarantine:
                Log.QuarantineVerdict(stage, argument, _relay, decision.Reason);
                _state.SessionQuarantined(decision.Reason);
                break;
        }
    }

    /// <summary>A new transaction after an accepted MAIL: inherits the session's verdicts, then adds MAIL's own.</summary>
    private MailTransaction StartTransaction(MailFromCommand mail, PolicyDecision decision)
    {
        var transaction = new MailTransaction(mail)
        {
            DiscardReason = _state.SessionDiscard,
            QuarantineReason = _state.SessionQuarantine,
        };
        NoteVerdict(transaction, "check_mail", ReversePath.Format(mail.Sender), decision);
        return transaction;
    }

    /// <summary>MAIL, RCPT and end-of-data stage: the first DISCARD and the first QUARANTINE reason win.</summary>
    private void NoteVerdict(MailTransaction transaction, string stage, string argument, PolicyDecision decision)
    {
        switch (decision.Verdict)
        {
            case PolicyVerdict.Discard:
                Log.DiscardVerdict(stage, argument, _relay, decision.Reason);
                transaction.DiscardReason ??= Describe(stage, decision);
                break;
            case PolicyVerdict.Quarantine:
                Log.QuarantineVerdict(stage, argument, _relay, decision.Reason);
                transaction.QuarantineReason ??= decision.Reason;
                break;
        }
    }

    private static string Describe(string stage, PolicyDecision decision) => stage + ": " + decision.Reason;
}
