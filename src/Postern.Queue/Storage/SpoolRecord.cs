using System.Text.Json.Serialization;
using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>The envelope line of a spool file, plus the time the spool took the message.</summary>
internal sealed record SpoolRecord
{
    public required DateTimeOffset QueuedAt { get; init; }

    public SpoolMailbox? Sender { get; init; }

    public required IReadOnlyList<SpoolRecipient> Recipients { get; init; }

    public BodyType Body { get; init; }

    public bool SmtpUtf8 { get; init; }

    public DsnReturn Return { get; init; }

    public string? EnvelopeId { get; init; }

    public string? AuthParameter { get; init; }

    /// <summary>Absent in files written before DELIVERBY support: such files load with no request.</summary>
    public SpoolDeliverBy? DeliverBy { get; init; }

    /// <summary>
    /// The MAIL REQUIRETLS parameter (RFC 8689). Written only when true, so other files are
    /// byte-for-byte what older versions wrote; a file without it loads as false.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool RequireTls { get; init; }

    public required SpoolClient Client { get; init; }

    /// <summary>
    /// Absent unless the message was quarantined before DATA (omitted when null, so files without
    /// quarantines are byte-for-byte what older versions wrote, and older versions ignore it).
    /// </summary>
    public string? QuarantineReason { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
