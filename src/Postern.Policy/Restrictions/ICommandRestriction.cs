using Postern.Core.Policy;

namespace Postern.Policy.Restrictions;

/// <summary>
/// A restriction on the session rather than on an address: asked before a command that needs an
/// established session (MAIL, RCPT, DATA) runs, before its argument is read. It sees only the
/// session's facts, so deciding allocates nothing. Not listed in the configuration: the listener
/// settings put these in effect (see <see cref="CommandRestrictions"/>).
/// </summary>
internal interface ICommandRestriction
{
    /// <summary>The name in the log and the docs (<c>reject_plaintext_session</c>).</summary>
    string Name { get; }

    /// <summary>Reject, or Dunno to leave the command to the next restriction.</summary>
    RestrictionResult Evaluate(SessionFacts session, CommandNeeds needs);
}
