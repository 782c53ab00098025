using Postern.Core.Addressing;

namespace Postern.Core.Queueing;

/// <summary>The SMTP envelope of one message as accepted: everything the queue must keep besides the bytes.</summary>
public sealed record Envelope
{
    /// <summary>The reverse path; null is the null sender &lt;&gt; (bounces).</summary>
    public required Mailbox? Sender { get; init; }

    public required IReadOnlyList<EnvelopeRecipient> Recipients { get; init; }

    public BodyType Body { get; init; } = BodyType.SevenBit;

    public bool SmtpUtf8 { get; init; }

    public DsnReturn Return { get; init; } = DsnReturn.Unspecified;

    /// <summary>The MAIL ENVID= parameter (xtext decoded), or null.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>The MAIL AUTH= parameter as accepted (RFC 4954), or null.</summary>
    public string? AuthParameter { get; init; }

    /// <summary>The MAIL BY= request (RFC 2852), or null.</summary>
    public DeliverBy? DeliverBy { get; init; }

    /// <summary>
    /// The MAIL REQUIRETLS parameter (RFC 8689): the message may leave only over TLS that was
    /// authenticated (DANE, MTA-STS enforce or verify) to a next hop that offers REQUIRETLS.
    /// </summary>
    public bool RequireTls { get; init; }

    public required ClientInfo Client { get; init; }

    /// <summary>
    /// Set when policy said QUARANTINE before DATA: the queue keeps the message on hold with this
    /// reason until released. Null for a message queued normally.
    /// </summary>
    public string? QuarantineReason { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
