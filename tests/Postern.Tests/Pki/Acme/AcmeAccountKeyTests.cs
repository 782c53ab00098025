using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme;

public sealed class AcmeAccountKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("postern-acme-key-").FullName;

    [Fact]
    public void The_thumbprint_of_rfc_7638_section_3_1_matches()
    {
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"),
            Exponent = Base64Url.DecodeFromChars("AQAB"),
        });
        using var key = AcmeAccountKey.FromRsa(rsa);

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", key.Thumbprint);
        Assert.StartsWith("""{"e":"AQAB","kty":"RSA","n":"0vx7""", Encoding.UTF8.GetString(key.Jwk.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void An_ec_thumbprint_is_sha256_of_crv_kty_x_y_in_that_order()
    {
        using var ecdsa = ECDsa.Create(Rfc7515.A3Key());
        using var key = AcmeAccountKey.FromEcdsa(ecdsa);

        var canonical = """{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""";
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), key.Thumbprint);
    }

    [Fact]
    public void Keys_other_than_p256_and_rsa_2048_are_refused()
    {
        Assert.Throws<ArgumentException>(() => AcmeAccountKey.FromEcdsa(ECDsa.Create(ECCurve.NamedCurves.nistP384)));
        Assert.Throws<ArgumentException>(() => AcmeAccountKey.FromRsa(RSA.Create(1024)));
    }

    [Fact]
    public void A_new_key_file_is_p256_pkcs8_with_mode_0600_and_loads_back_as_the_same_key()
    {
        var path = Path.Combine(_directory, "account.key");

        using var created = AcmeAccountKeyFile.LoadOrCreate(path, out var isNew);
        using var loaded = AcmeAccountKeyFile.LoadOrCreate(path, out var isNewAgain);

        Assert.True(isNew);
        Assert.False(isNewAgain);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(created.Thumbprint, loaded.Thumbprint);
        Assert.Equal("ES256", loaded.Algorithm);
        Assert.Equal(["account.key"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Keys_made_by_other_clients_load_sec1_ec_and_pkcs1_rsa()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);

        using var ec = AcmeAccountKeyFile.Parse(ecdsa.ExportECPrivateKeyPem(), "certbot.pem");
        using var rs = AcmeAccountKeyFile.Parse(rsa.ExportRSAPrivateKeyPem(), "lego.pem");
        using var pkcs8Rsa = AcmeAccountKeyFile.Parse(rsa.ExportPkcs8PrivateKeyPem(), "pkcs8.pem");

        Assert.Equal("ES256", ec.Algorithm);
        Assert.Equal("RS256", rs.Algorithm);
        Assert.Equal(rs.Thumbprint, pkcs8Rsa.Thumbprint);
    }

    [Theory]
    [InlineData("", "no PEM private key in it")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "a PEM CERTIFICATE block is not a private key")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "the account key cannot be read")]
    public void A_file_without_a_usable_key_says_so_with_its_name(string pem, string expected)
    {
        var error = Assert.Throws<AcmeException>(() => AcmeAccountKeyFile.Parse(pem, "/etc/acme/account.key"));

        Assert.StartsWith("/etc/acme/account.key: " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_p384_key_file_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<AcmeException>(() => AcmeAccountKeyFile.Parse(p384.ExportPkcs8PrivateKeyPem(), "k.pem"));

        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
