using System.Formats.Asn1;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Server.Connections;

/// <summary>
/// Channel binding data of one TLS session, for SCRAM-*-PLUS. .NET 10's SslStream has no keying
/// material exporter (dotnet/runtime#112529 is still a proposal), so RFC 9266 tls-exporter is not
/// available and stays null; RFC 5929 tls-server-end-point is the hash of our own certificate,
/// computed here from the certificate the handshake used.
/// </summary>
internal sealed record TlsChannelBindings(byte[]? TlsExporter, byte[]? TlsServerEndPoint)
{
    // tls-server-end-point depends on our certificate alone: hashed once per certificate object
    // (every session on it shares the handshake's certificate context), not once per session.
    private static readonly ConditionalWeakTable<X509Certificate, EndPoint> EndPoints = [];

    public static TlsChannelBindings From(SslStream tls) =>
        new(null, tls.LocalCertificate is { } certificate
            ? EndPoints.GetValue(certificate, static c => new EndPoint(ServerEndPoint(c))).Value?.ToArray()
            : null);

    private sealed record EndPoint(byte[]? Value);

    /// <summary>
    /// RFC 5929 section 4.1: the certificate hashed with its signature's hash function, SHA-256
    /// when that is MD5 or SHA-1; null for signature algorithms without one hash (Ed25519).
    /// </summary>
    public static byte[]? ServerEndPoint(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var raw = certificate.GetRawCertData();
        return SignatureHash(raw) switch
        {
            "SHA384" => SHA384.HashData(raw),
            "SHA512" => SHA512.HashData(raw),
            "SHA256" or "SHA1" or "MD5" => SHA256.HashData(raw),
            _ => null,
        };
    }

    private static string? SignatureHash(byte[] raw)
    {
        string oid;
        try
        {
            using var x509 = X509CertificateLoader.LoadCertificate(raw);
            oid = x509.SignatureAlgorithm.Value ?? "";
        }
        catch (CryptographicException)
        {
            return null;
        }
        return oid switch
        {
            "1.2.840.113549.1.1.4" => "MD5",
            "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" => "SHA1",
            "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" => "SHA256",
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => "SHA384",
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => "SHA512",
            // RSASSA-PSS names its hash in the parameters: read it from there.
            "1.2.840.113549.1.1.10" => PssHash(raw),
            _ => null,
        };
    }

    private static string? PssHash(byte[] raw)
    {
        try
        {
            // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature }
            var certificate = new AsnReader(raw, AsnEncodingRules.DER).ReadSequence();
            certificate.ReadEncodedValue();
            var algorithm = certificate.ReadSequence();
            algorithm.ReadObjectIdentifier();
            var parameters = algorithm.ReadSequence();
            var hashTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (!parameters.HasData || !parameters.PeekTag().HasSameClassAndValue(hashTag))
            {
                return "SHA1"; // RSASSA-PSS-params default hashAlgorithm
            }
            var hashAlgorithm = parameters.ReadSequence(hashTag).ReadSequence();
            return hashAlgorithm.ReadObjectIdentifier() switch
            {
                "2.16.840.1.101.3.4.2.1" => "SHA256",
                "2.16.840.1.101.3.4.2.2" => "SHA384",
                "2.16.840.1.101.3.4.2.3" => "SHA512",
                "1.3.14.3.2.26" => "SHA1",
                _ => null,
            };
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
