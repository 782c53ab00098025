using System.Net;
using Postern.Core.Policy;
using Postern.Core.Tls;

namespace Postern.Server.Options;

/// <summary>One <c>[[listener]]</c>: a named socket with a role, its TLS mode and client certificate policy.</summary>
public sealed record ListenerOptions(string Name, IPEndPoint EndPoint, ListenerRole Role)
{
    public ListenerTlsMode Tls { get; init; } = ListenerTlsMode.None;

    /// <summary>Refuse MAIL before STARTTLS (530 5.7.0); implied by implicit TLS.</summary>
    public bool RequireTls { get; init; }

    public ClientCertificateMode ClientCertificates { get; init; } = ClientCertificateMode.None;
}
