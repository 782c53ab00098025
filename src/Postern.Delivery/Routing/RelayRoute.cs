using Postern.Core.Tls;
using Postern.Delivery.Relay;

namespace Postern.Delivery.Routing;

/// <summary>
/// One <c>[[route]]</c> (sendmail's mailertable entry).
/// </summary>
/// <param name="Domain">A domain matched exactly, or <c>.example.org</c> for every subdomain of example.org (not example.org itself).</param>
/// <param name="Via">Where its mail goes; null for MX delivery of the recipient domain (bypassing the smart host).</param>
/// <param name="Tls">The outbound TLS policy for this route; null for the global <c>delivery.tls</c>.</param>
public sealed record RelayRoute(string Domain, NextHop? Via, OutboundTlsPolicy? Tls = null)
{
    /// <summary>The route's own client certificate (<c>client_cert</c>/<c>client_key</c>); null for <c>tls.client_cert</c>.</summary>
    public CertificateFiles? ClientCertificate { get; init; }

    /// <summary>The route's AUTH user (<c>auth_user</c>), with <see cref="AuthPasswordFile"/>; null for none.</summary>
    public string? AuthUser { get; init; }

    /// <summary>The absolute path of the file holding <see cref="AuthUser"/>'s password (<c>auth_password_file</c>).</summary>
    public string? AuthPasswordFile { get; init; }
}
