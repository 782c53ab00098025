using Postern.Delivery.Relay;

namespace Postern.Delivery.Routing;

/// <summary>
/// One <c>[[route]]</c> (sendmail's mailertable entry).
/// </summary>
/// <param name="Domain">A domain matched exactly, or <c>.example.org</c> for every subdomain of example.org (not example.org itself).</param>
/// <param name="Via">Where its mail goes; null for MX delivery of the recipient domain (bypassing the smart host).</param>
/// <param name="Tls">The outbound TLS policy for this route; null for the global <c>delivery.tls</c>.</param>
public sealed record RelayRoute(string Domain, NextHop? Via, OutboundTlsPolicy? Tls = null);
