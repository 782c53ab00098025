namespace Postern.Core.Policy;

/// <summary>
/// Whether a session's client is one Postern relays for: authenticated with a trusted mechanism,
/// in the relay networks, holding a verified certificate the access map grants relaying, or a
/// local submission. The policy engine answers from the same restrictions that let it relay
/// (see <c>RelayPolicy.MayRelay</c>); handlers that act only for the site's own users (DKIM
/// signing) ask it instead of judging the client themselves.
/// </summary>
public interface IRelayTrust
{
    /// <summary>True when <paramref name="session"/>'s client may relay, whatever the recipient.</summary>
    bool MayRelay(SessionFacts session);

    /// <summary>
    /// The same question when the answer may need a table lookup (an access map in a database); a
    /// table that cannot answer gives false: nothing is granted on a guess.
    /// </summary>
    ValueTask<bool> MayRelayAsync(SessionFacts session, CancellationToken cancellationToken) => ValueTask.FromResult(MayRelay(session));
}
