using System.Text;
using Postern.Core.Addressing;

namespace Postern.Policy.Restrictions;

/// <summary>
/// reject_sender_login_mismatch (Postfix's name): after AUTH, trusted mechanism or not, the
/// client may use only the senders the sender login map gives its login; &lt;&gt; is always
/// allowed, and a client that did not authenticate is left to the other restrictions. Not listed
/// in the configuration: <c>auth.sender_login_map</c> puts it at the head of the sender list.
/// Its refusal is logged and counted as the session's own check was (reason
/// <c>sender login mismatch: authid=...</c>, metrics rule <c>sender_login</c>).
/// </summary>
internal sealed class RejectSenderLoginMismatch : IRestriction
{
    public const string RestrictionName = "reject_sender_login_mismatch";

    public string Name => RestrictionName;

    public bool AppliesTo(RestrictionStage stage) => stage == RestrictionStage.Mail;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        if (context.Session.SaslLogin is not { } user)
        {
            return RestrictionResult.Dunno("not authenticated");
        }
        if (context.Sender is not { } sender)
        {
            return RestrictionResult.Dunno("the null sender is anyone's");
        }
        if (context.SenderLogins.IsOwnedBy(sender, user))
        {
            return RestrictionResult.Dunno(sender + " is owned by " + user);
        }
        var printable = Printable(user);
        return RestrictionResult.Reject(PolicyReplies.SenderNotOwned(ReversePath.Format(sender), printable), sender + " is not owned by " + printable) with
        {
            LogReason = "sender login mismatch: authid=" + printable,
            Rule = "sender_login",
        };
    }

    /// <summary>The login as the reply and the log may show it: control characters as '?', at most 256 characters.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 256));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 256)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        return builder.ToString();
    }
}
