using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Tests.Delivery.Relay;

/// <summary>A client TLS context for relay tests: an optional client certificate; the server certificate verifies when told so.</summary>
internal sealed class FakeClientTlsContext(X509Certificate2? clientCertificate = null, bool trustServer = true) : IClientTlsContext
{
    public List<string> VerifiedHosts { get; } = [];

    /// <summary>The route certificate asked for in each handshake (null: the global one).</summary>
    public List<CertificateFiles?> RequestedCertificates { get; } = [];

    public SslClientAuthenticationOptions CreateClientOptions(string targetHost, CertificateFiles? routeCertificate)
    {
        RequestedCertificates.Add(routeCertificate);
        return CreateClientOptions(targetHost);
    }

    public SslClientAuthenticationOptions CreateClientOptions(string targetHost) => new()
    {
        TargetHost = targetHost,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    public CertificateVerification VerifyServer(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> intermediates, string hostName)
    {
        VerifiedHosts.Add(hostName);
        return trustServer
            ? new CertificateVerification(VerifyResult.Ok, VerifyFailure.None, null, null)
            : new CertificateVerification(VerifyResult.Fail, VerifyFailure.Untrusted, "unable to get local issuer certificate", null);
    }
}
