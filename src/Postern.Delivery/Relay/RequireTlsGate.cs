using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Delivery.Relay;

/// <summary>
/// REQUIRETLS on the way out (RFC 8689 4.2.1): a message that asked for it goes only over a
/// session whose TLS authenticated the server (DANE, MTA-STS enforce or verify) to a next hop
/// that advertises REQUIRETLS, and then with MAIL ... REQUIRETLS so the next hop keeps the
/// promise. A host that cannot take it answers 550 5.7.30 for the message; the transport then
/// tries the domain's next host, and the recipient fails (bounces) only when every host it tried
/// refused so. A host that was merely unreachable still defers, as for any message.
/// </summary>
internal static class RequireTlsGate
{
    private static readonly EnhancedStatusCode RequireTlsRequired = new(5, 7, 30);

    /// <summary>Why this session may not carry the message, or null when it may.</summary>
    public static SmtpReply? Refusal(Envelope envelope, string relay, bool tlsAuthenticated, EhloCapabilities capabilities)
    {
        if (!envelope.RequireTls)
        {
            return null;
        }
        if (!tlsAuthenticated)
        {
            return DeliveryReplies.RequireTlsNotAuthenticated(relay);
        }
        return capabilities.RequireTls ? null : DeliveryReplies.RequireTlsNotOffered(relay);
    }

    /// <summary>
    /// True while the recipient may still go to the next host: deferred, or refused with 5.7.30
    /// (by this gate, or by a next hop that could not keep REQUIRETLS further on).
    /// </summary>
    public static bool StillWaiting(RecipientOutcome outcome) =>
        outcome.Status == DeliveryStatus.Deferred || IsRequireTlsRefusal(outcome);

    /// <summary>
    /// The outcome to keep after another host answered: a 5.7.30 refusal does not replace an
    /// earlier host's deferral, so a recipient bounces only when no host was merely unreachable.
    /// </summary>
    public static RecipientOutcome Merge(RecipientOutcome? earlier, RecipientOutcome latest) =>
        earlier is { Status: DeliveryStatus.Deferred } && IsRequireTlsRefusal(latest) ? earlier : latest;

    private static bool IsRequireTlsRefusal(RecipientOutcome outcome) =>
        outcome.Status == DeliveryStatus.Failed && outcome.Reply.Status == RequireTlsRequired;
}
