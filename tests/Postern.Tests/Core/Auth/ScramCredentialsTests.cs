using System.Security.Cryptography;
using Postern.Core.Auth;

namespace Postern.Tests.Core.Auth;

public sealed class ScramCredentialsTests
{
    [Fact]
    public void Rfc_7677_keys()
    {
        // From the RFC 7677 exchange: ServerSignature = HMAC(ServerKey, AuthMessage) must give its v= value.
        var credential = ScramCredentials.Derive("pencil", HashAlgorithmName.SHA256, Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        const string AuthMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        var signature = ScramCredentials.Hmac(HashAlgorithmName.SHA256, credential.ServerKey, System.Text.Encoding.ASCII.GetBytes(AuthMessage));
        Assert.Equal("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Convert.ToBase64String(signature));
        Assert.Equal(4096, credential.Iterations);
        Assert.Equal(32, credential.StoredKey.Length);
    }

    [Fact]
    public void Rfc_5802_keys()
    {
        var credential = ScramCredentials.Derive("pencil", HashAlgorithmName.SHA1, Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096);
        const string AuthMessage = "n=user,r=fyko+d2lbbFgONRv9qkxdawL,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j";
        var signature = ScramCredentials.Hmac(HashAlgorithmName.SHA1, credential.ServerKey, System.Text.Encoding.ASCII.GetBytes(AuthMessage));
        Assert.Equal("rmF9pqV8S7suAoZWja4dJRkFsKQ=", Convert.ToBase64String(signature));
        Assert.Equal(20, credential.StoredKey.Length);
    }

    [Fact]
    public void Defaults_give_a_random_16_byte_salt_and_at_least_4096_iterations()
    {
        var a = ScramCredentials.Derive("pw", HashAlgorithmName.SHA1, iterations: 4096);
        var b = ScramCredentials.Derive("pw", HashAlgorithmName.SHA1, iterations: 4096);
        Assert.Equal(16, a.Salt.Length);
        Assert.NotEqual(a.Salt, b.Salt);
        Assert.True(ScramCredentials.DefaultIterationsSha1 >= 4096);
        Assert.True(ScramCredentials.DefaultIterationsSha256 >= 4096);
    }

    [Fact]
    public void Other_hashes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ScramCredentials.Derive("pw", HashAlgorithmName.SHA512, iterations: 10));
    }
}
