using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Core.Tls;

/// <summary>
/// The client side of TLS, for relaying: handshake options (Postern's client certificate from
/// tls.client_cert, presented when the server asks) and the verification of the server's
/// certificate (chain to the system or configured CAs, serverAuth usage, host name).
/// </summary>
public interface IClientTlsContext
{
    /// <summary>Options for one handshake with <paramref name="targetHost"/>; the validation callback accepts everything: <see cref="VerifyServer"/> decides.</summary>
    SslClientAuthenticationOptions CreateClientOptions(string targetHost);

    /// <summary>
    /// As <see cref="CreateClientOptions(string)"/>, presenting <paramref name="clientCertificate"/>
    /// (one of the routes' certificates the context was built with) instead of the global one;
    /// null is the global one.
    /// </summary>
    SslClientAuthenticationOptions CreateClientOptions(string targetHost, CertificateFiles? clientCertificate);

    CertificateVerification VerifyServer(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> intermediates, string hostName);
}
