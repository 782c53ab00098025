using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Protocol.Commands;

/// <summary>
/// A parsed MAIL FROM argument. <see cref="Sender"/> is null for the null path <c>&lt;&gt;</c>;
/// <see cref="Auth"/> is the decoded AUTH= value (<c>&lt;&gt;</c> when the client said so).
/// </summary>
public sealed record MailFromCommand(
    Mailbox? Sender,
    long? Size,
    BodyType? Body,
    bool SmtpUtf8,
    DsnReturn Return,
    string? EnvelopeId,
    string? Auth)
{
    /// <summary>The BY= parameter (RFC 2852), or null.</summary>
    public DeliverByParameter? DeliverBy { get; init; }

    /// <summary>The REQUIRETLS parameter (RFC 8689) was given.</summary>
    public bool RequireTls { get; init; }

    /// <summary>
    /// The ESMTP parameters as the client sent them (<c>SIZE=1024</c>), one space between them, empty
    /// when none: the stage handlers get them so (milters pass them on). A string, so the record
    /// keeps its value equality.
    /// </summary>
    public string Parameters { get; init; } = "";

    /// <summary><see cref="Parameters"/> word by word.</summary>
    public IReadOnlyList<string> ParameterList => Parameters.Length == 0 ? [] : Parameters.Split(' ');
}
