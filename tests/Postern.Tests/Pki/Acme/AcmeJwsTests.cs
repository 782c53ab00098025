using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme;

/// <summary>JWS as RFC 7515's examples and RFC 8555 6.2 shape it.</summary>
public sealed class AcmeJwsTests
{
    // RFC 7515 A.1-A.3: the payload {"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}.
    private const string ExamplePayload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

    [Fact]
    public void Rs256_reproduces_the_signature_of_rfc_7515_appendix_a_2()
    {
        using var rsa = RSA.Create(Rfc7515.A2Key());
        using var key = AcmeAccountKey.FromRsa(rsa);

        var signature = key.Sign(AcmeJws.SigningInput("eyJhbGciOiJSUzI1NiJ9", ExamplePayload));

        // PKCS#1 v1.5 is deterministic: the RFC's exact octets.
        Assert.Equal(Rfc7515.A2Signature, Base64Url.EncodeToString(signature));
        Assert.Equal("RS256", key.Algorithm);
    }

    [Fact]
    public void Es256_signs_r_and_s_in_64_bytes_that_the_rfc_7515_appendix_a_3_key_verifies()
    {
        using var ecdsa = ECDsa.Create(Rfc7515.A3Key());
        using var key = AcmeAccountKey.FromEcdsa(ecdsa);
        var input = AcmeJws.SigningInput("eyJhbGciOiJFUzI1NiJ9", ExamplePayload);
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = Rfc7515.A3Key().Q });

        var signature = key.Sign(input);

        Assert.Equal(64, signature.Length);
        Assert.True(verifier.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        // ...and the RFC's own signature verifies the same way, so the format is the RFC's.
        Assert.True(verifier.VerifyData(input, Base64Url.DecodeFromChars(Rfc7515.A3Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal("ES256", key.Algorithm);
        Assert.Equal("""{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""", Encoding.UTF8.GetString(key.Jwk.Span));
    }

    [Fact]
    public void A_request_is_flattened_json_with_a_protected_header_of_alg_jwk_nonce_and_url()
    {
        using var key = AcmeAccountKey.CreateEcdsa();
        var url = new Uri("https://acme.test/new-account");

        var body = AcmeJws.Sign(key, null, "nonce-1", url, """{"termsOfServiceAgreed":true}"""u8.ToArray());

        using var jws = JsonDocument.Parse(body);
        Assert.Equal(["protected", "payload", "signature"], jws.RootElement.EnumerateObject().Select(p => p.Name));
        var encodedHeader = jws.RootElement.GetProperty("protected").GetString()!;
        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encodedHeader));
        Assert.Equal($$"""{"alg":"ES256","jwk":{{Encoding.UTF8.GetString(key.Jwk.Span)}},"nonce":"nonce-1","url":"https://acme.test/new-account"}""", header);
        var encodedPayload = jws.RootElement.GetProperty("payload").GetString()!;
        Assert.Equal("""{"termsOfServiceAgreed":true}""", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encodedPayload)));
        using var jwk = JsonDocument.Parse(key.Jwk);
        Assert.True(JwsVerifier.Verify("ES256", jwk.RootElement, Encoding.ASCII.GetBytes(encodedHeader + "." + encodedPayload),
            Base64Url.DecodeFromChars(jws.RootElement.GetProperty("signature").GetString())));
    }

    [Fact]
    public void Post_as_get_has_the_kid_and_an_empty_payload()
    {
        using var key = AcmeAccountKey.CreateEcdsa();

        var body = AcmeJws.Sign(key, new Uri("https://acme.test/acct/7"), "n2", new Uri("https://acme.test/order/1"), null);

        using var jws = JsonDocument.Parse(body);
        Assert.Equal("", jws.RootElement.GetProperty("payload").GetString());
        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jws.RootElement.GetProperty("protected").GetString()));
        Assert.Equal("""{"alg":"ES256","kid":"https://acme.test/acct/7","nonce":"n2","url":"https://acme.test/order/1"}""", header);
    }

    [Fact]
    public void External_account_binding_is_hs256_over_the_account_jwk_without_a_nonce()
    {
        using var key = AcmeAccountKey.CreateEcdsa();
        var mac = RandomNumberGenerator.GetBytes(32);

        var binding = AcmeJws.ExternalAccountBinding(key, "kid-1", mac, new Uri("https://acme.test/new-account"));

        using var jws = JsonDocument.Parse(binding);
        var encodedHeader = jws.RootElement.GetProperty("protected").GetString()!;
        var encodedPayload = jws.RootElement.GetProperty("payload").GetString()!;
        Assert.Equal("""{"alg":"HS256","kid":"kid-1","url":"https://acme.test/new-account"}""", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encodedHeader)));
        Assert.Equal(key.Jwk.ToArray(), Base64Url.DecodeFromChars(encodedPayload));
        var expected = HMACSHA256.HashData(mac, Encoding.ASCII.GetBytes(encodedHeader + "." + encodedPayload));
        Assert.Equal(expected, Base64Url.DecodeFromChars(jws.RootElement.GetProperty("signature").GetString()));
    }
}
