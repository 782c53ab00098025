using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Postern.Tests.Pki.Acme;

/// <summary>Verifies a JWS signature with a public JWK, as a CA does (the tests' independent check of AcmeJws).</summary>
internal static class JwsVerifier
{
    public static bool Verify(string alg, JsonElement jwk, byte[] signingInput, byte[] signature)
    {
        switch (alg)
        {
            case "ES256":
                using (var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Member(jwk, "x"), Y = Member(jwk, "y") },
                }))
                {
                    return signature.Length == 64
                        && ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
            case "RS256":
                using (var rsa = RSA.Create(new RSAParameters { Modulus = Member(jwk, "n"), Exponent = Member(jwk, "e") }))
                {
                    return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }
            default:
                return false;
        }
    }

    private static byte[] Member(JsonElement jwk, string name) => Base64Url.DecodeFromChars(jwk.GetProperty(name).GetString());
}
