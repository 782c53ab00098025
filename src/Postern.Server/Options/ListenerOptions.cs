using System.Net;
using Postern.Core.Policy;
using Postern.Core.Tls;

namespace Postern.Server.Options;

/// <summary>One <c>[[listener]]</c>: a named socket with a role, its TLS mode, client certificate policy, ETRN, AUTH and milters.</summary>
public sealed record ListenerOptions(string Name, IPEndPoint EndPoint, ListenerRole Role)
{
    public ListenerTlsMode Tls { get; init; } = ListenerTlsMode.None;

    /// <summary>Refuse MAIL before STARTTLS (530 5.7.0); implied by implicit TLS.</summary>
    public bool RequireTls { get; init; }

    public ClientCertificateMode ClientCertificates { get; init; } = ClientCertificateMode.None;

    /// <summary>
    /// Offer and accept ETRN (RFC 1985). Defaults to on for MTA listeners and off for MSA ones,
    /// as sendmail's MSA daemon carries <c>M=E</c>: submission clients have no queue to start.
    /// </summary>
    public bool Etrn { get; init; } = Role == ListenerRole.Mta;

    /// <summary>SMTP AUTH on this listener: off, offered, or required before MAIL.</summary>
    public ListenerAuthMode Auth { get; init; } = ListenerAuthMode.Offer;

    /// <summary>
    /// The names of the milters this listener's sessions run, in order, instead of the server's
    /// list; null: the server's list. An empty list runs none.
    /// </summary>
    public IReadOnlyList<string>? Milters { get; init; }

    /// <summary>
    /// Connections come through a proxy that sends a PROXY header first, whose client address then
    /// stands for the connection's everywhere; null: clients connect directly.
    /// </summary>
    public ProxyProtocolOptions? Proxy { get; init; }
}
