using System.Net;
using Postern.Core.Queueing;
using Postern.Core.Tls;

namespace Postern.Core.Policy;

/// <summary>What the policy engine knows about an SMTP session when it decides.</summary>
public sealed record SessionFacts(
    IPEndPoint Remote,
    IPEndPoint Local,
    string ListenerName,
    ListenerRole Role)
{
    public string? HeloName { get; init; }

    /// <summary>The listener's <c>require_tls</c>: the policy refuses commands that need TLS before it.</summary>
    public bool ListenerRequiresTls { get; init; }

    /// <summary>The listener's <c>auth = "require"</c>: the policy refuses commands that need AUTH before it.</summary>
    public bool ListenerRequiresAuth { get; init; }

    public bool IsTls => Tls is not null;

    /// <summary>The TLS session and client certificate facts; null without TLS.</summary>
    public TlsFacts? Tls { get; init; }

    /// <summary>The SASL authorization identity when authenticated with a trusted mechanism.</summary>
    public string? AuthenticatedUser { get; init; }

    /// <summary>
    /// The SASL authorization identity of any successful AUTH, trusted mechanism or not; null
    /// before one. The sender login map binds senders to it.
    /// </summary>
    public string? SaslLogin { get; init; }

    /// <summary>The SASL mechanism that set <see cref="AuthenticatedUser"/>, e.g. SCRAM-SHA-256; null when not authenticated.</summary>
    public string? AuthMechanism { get; init; }

    /// <summary>
    /// The queue id the current transaction's message gets, chosen when MAIL is given (before the
    /// MAIL stage, as sendmail assigns its <c>i</c> macro); null before the first MAIL.
    /// </summary>
    public QueueId? QueueId { get; init; }
}
