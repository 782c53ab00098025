using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Tests.Server;

/// <summary>
/// A server TLS context for dialog tests: one self-signed server certificate; a client certificate
/// verifies when its subject CN is "trusted-client", anything else fails.
/// </summary>
internal sealed class TestTlsContext : IServerTlsContext, IDisposable
{
    private readonly X509Certificate2 _server = Create("CN=mx.test", serverAuth: true);

    public static X509Certificate2 Create(string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Round-trip through PKCS#12 so the key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public SslServerAuthenticationOptions CreateServerOptions(string? serverName, ClientCertificateMode clientCertificates) => new()
    {
        ServerCertificate = _server,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = clientCertificates != ClientCertificateMode.None,
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    public CertificateVerification VerifyClient(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> intermediates)
    {
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var facts = new CertificateFacts(
            "/CN=" + cn, "/CN=" + cn, "CN=" + cn, "CN=" + cn, cn, cn, "00", "00", [], [], certificate.NotBefore, certificate.NotAfter, certificate.SerialNumber);
        return cn == "trusted-client"
            ? new CertificateVerification(VerifyResult.Ok, VerifyFailure.None, null, facts)
            : new CertificateVerification(VerifyResult.Fail, VerifyFailure.Untrusted, "issuer not trusted", facts);
    }

    public void Dispose() => _server.Dispose();
}
