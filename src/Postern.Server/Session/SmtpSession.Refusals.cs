using Postern.Core.Smtp;
using Postern.Server.Logging;

namespace Postern.Server.Session;

/// <summary>
/// Refusals the session decides itself (limits, smuggling protection, certificate requirement),
/// logged in the same sendmail form as the policy's, so every refusal of a sender, recipient,
/// message or session has a mail log line saying why. Pure syntax and sequence errors are only
/// counted (the <c>errors=</c> of the disconnect line), as in sendmail and Postfix.
/// </summary>
internal sealed partial class SmtpSession
{
    /// <param name="stage">The sendmail ruleset the refusal belongs to (check_mail, check_rcpt, check_data, ...).</param>
    /// <param name="argument">What was refused: the address, or the sender for a message.</param>
    /// <param name="reply">The reply the client gets.</param>
    /// <param name="rule">A fixed word naming the check, for the log's reason and the metrics label.</param>
    /// <param name="detail">Why, for the administrator.</param>
    private void Refused(string stage, string argument, SmtpReply reply, string rule, string detail)
    {
        Log.Rejected(stage, argument, _relay, reply, rule + ": " + detail);
        _services.Metrics?.RejectedBy(stage, rule);
    }
}
