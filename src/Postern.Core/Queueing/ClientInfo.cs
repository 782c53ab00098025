using System.Net;

namespace Postern.Core.Queueing;

/// <summary>Who handed a message to Postern, for the Received header, the log and bounces.</summary>
/// <param name="Address">The client's IP address; null for local submission.</param>
/// <param name="HeloName">The EHLO/HELO argument, or null.</param>
/// <param name="Protocol">The RFC 3848 "with" keyword: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA, LOCAL...</param>
/// <param name="ListenerName">The listener that accepted the connection, or "local".</param>
/// <param name="AuthenticatedUser">The SASL authorization identity, or null.</param>
public sealed record ClientInfo(
    IPAddress? Address,
    string? HeloName,
    string Protocol,
    string ListenerName,
    string? AuthenticatedUser = null);
