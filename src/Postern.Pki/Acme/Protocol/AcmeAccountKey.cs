using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The key that signs every request of one ACME account: ECDSA P-256 (ES256, the default) or RSA
/// (RS256, for accounts made elsewhere). It knows its JWK (RFC 7517), written with the required
/// members only and in lexicographic order, which is at once the public key of new-account and the
/// input of the RFC 7638 thumbprint.
/// </summary>
public sealed class AcmeAccountKey : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    private AcmeAccountKey(ECDsa? ecdsa, RSA? rsa)
    {
        _ecdsa = ecdsa;
        _rsa = rsa;
        Jwk = BuildJwk();
        Thumbprint = Base64Url.EncodeToString(SHA256.HashData(Jwk.Span));
    }

    /// <summary>The JWS "alg": ES256 or RS256.</summary>
    public string Algorithm => _ecdsa is not null ? "ES256" : "RS256";

    /// <summary>The public JWK as canonical JSON (RFC 7638 3.2: required members, sorted, no white space).</summary>
    public ReadOnlyMemory<byte> Jwk { get; }

    /// <summary>base64url(SHA-256(canonical JWK)), RFC 7638; the second half of every key authorization.</summary>
    public string Thumbprint { get; }

    /// <summary>Takes ownership of a P-256 key.</summary>
    /// <exception cref="ArgumentException">The key is on another curve.</exception>
    public static AcmeAccountKey FromEcdsa(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var curve = key.ExportParameters(false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("an ECDSA account key must be on P-256 (ES256)", nameof(key));
        }
        return new AcmeAccountKey(key, null);
    }

    /// <summary>Takes ownership of an RSA key of at least 2048 bits.</summary>
    public static AcmeAccountKey FromRsa(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeySize < 2048)
        {
            throw new ArgumentException("an RSA account key must have at least 2048 bits", nameof(key));
        }
        return new AcmeAccountKey(null, key);
    }

    /// <summary>Takes ownership of an ECDSA P-256 or RSA key (as AcmeStore loads account.key).</summary>
    public static AcmeAccountKey From(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => FromEcdsa(ecdsa),
        RSA rsa => FromRsa(rsa),
        null => throw new ArgumentNullException(nameof(key)),
        _ => throw new ArgumentException("an account key is ECDSA P-256 or RSA", nameof(key)),
    };

    /// <summary>A new ECDSA P-256 key.</summary>
    public static AcmeAccountKey CreateEcdsa() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

    /// <summary>The JWS signature over <paramref name="signingInput"/>: r||s (64 bytes) for ES256 (RFC 7518 3.4), PKCS#1 v1.5 for RS256.</summary>
    public byte[] Sign(ReadOnlySpan<byte> signingInput) => _ecdsa is not null
        ? _ecdsa.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        : _rsa!.SignData(signingInput.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>The private key as PKCS#8 PEM ("PRIVATE KEY"), for account.key.</summary>
    public string ExportPkcs8Pem() => _ecdsa is not null ? _ecdsa.ExportPkcs8PrivateKeyPem() : _rsa!.ExportPkcs8PrivateKeyPem();

    /// <summary>Writes the public JWK object (the canonical members) into <paramref name="writer"/>.</summary>
    public void WriteJwk(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var document = JsonDocument.Parse(Jwk);
        document.WriteTo(writer);
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }

    private byte[] BuildJwk()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // RFC 7638 3.2: exactly the required members, in lexicographic order of their names.
            writer.WriteStartObject();
            if (_ecdsa is not null)
            {
                var parameters = _ecdsa.ExportParameters(false);
                writer.WriteString("crv", "P-256");
                writer.WriteString("kty", "EC");
                writer.WriteString("x", Base64Url.EncodeToString(parameters.Q.X));
                writer.WriteString("y", Base64Url.EncodeToString(parameters.Q.Y));
            }
            else
            {
                var parameters = _rsa!.ExportParameters(false);
                writer.WriteString("e", Base64Url.EncodeToString(WithoutLeadingZeros(parameters.Exponent!)));
                writer.WriteString("kty", "RSA");
                writer.WriteString("n", Base64Url.EncodeToString(WithoutLeadingZeros(parameters.Modulus!)));
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    // RFC 7518 6.3.1: n and e are unsigned big-endian integers in their minimal length.
    private static ReadOnlySpan<byte> WithoutLeadingZeros(byte[] value)
    {
        var span = value.AsSpan();
        while (span.Length > 1 && span[0] == 0)
        {
            span = span[1..];
        }
        return span;
    }
}
