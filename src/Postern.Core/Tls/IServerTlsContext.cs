using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Core.Tls;

/// <summary>
/// The server side of TLS as the SMTP server sees it: handshake options for a new session (the
/// current certificates, chosen by SNI; reloads apply to new sessions only) and the verification
/// of a client certificate against the configured CAs (never the system store).
/// </summary>
public interface IServerTlsContext
{
    /// <summary>Options for one handshake. The validation callback must accept any client certificate: verification is <see cref="VerifyClient"/>'s job, after the handshake.</summary>
    SslServerAuthenticationOptions CreateServerOptions(string? serverName, ClientCertificateMode clientCertificates);

    /// <summary>
    /// As <see cref="CreateServerOptions(string?, ClientCertificateMode)"/>, knowing what the client
    /// offered in its hello, so an implementation can pick options under which the platform resumes
    /// TLS sessions, and the certificate (ECDSA or RSA) the client can verify. The default ignores it.
    /// </summary>
    SslServerAuthenticationOptions CreateServerOptions(string? serverName, ClientHelloFacts hello, ClientCertificateMode clientCertificates) =>
        CreateServerOptions(serverName, clientCertificates);

    /// <summary>Classifies the client's certificate; <paramref name="intermediates"/> are the extra certificates it sent.</summary>
    CertificateVerification VerifyClient(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> intermediates);
}
