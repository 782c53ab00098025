using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using System.Security.Cryptography;
using Postern.Filters.Dkim;

namespace Postern.Tests.Filters.Dkim;

/// <summary>Keys for the DKIM tests: fresh ones made once per run, and RFC 8463's published ones.</summary>
internal static class DkimTestKeys
{
    /// <summary>RFC 8463 appendix A.1: the Ed25519 secret key (the RFC 8032 test vector 1 seed).</summary>
    public const string Rfc8463Ed25519Seed = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

    public const string Rfc8463Ed25519Public = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    /// <summary>RFC 8463 appendix A.1: the 1024-bit RSA key, PKCS#1.</summary>
    public const string Rfc8463RsaPem = """
        -----BEGIN RSA PRIVATE KEY-----
        MIICXQIBAAKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi
        Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqM
        KrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB
        AoGAH0cxOhFZDgzXWhDhnAJDw5s4roOXN4OhjiXa8W7Y3rhX3FJqmJSPuC8N9vQm
        6SVbaLAE4SG5mLMueHlh4KXffEpuLEiNp9Ss3O4YfLiQpbRqE7Tm5SxKjvvQoZZe
        zHorimOaChRL2it47iuWxzxSiRMv4c+j70GiWdxXnxe4UoECQQDzJB/0U58W7RZy
        6enGVj2kWF732CoWFZWzi1FicudrBFoy63QwcowpoCazKtvZGMNlPWnC7x/6o8Gc
        uSe0ga2xAkEA8C7PipPm1/1fTRQvj1o/dDmZp243044ZNyxjg+/OPN0oWCbXIGxy
        WvmZbXriOWoSALJTjExEgraHEgnXssuk7QJBALl5ICsYMu6hMxO73gnfNayNgPxd
        WFV6Z7ULnKyV7HSVYF0hgYOHjeYe9gaMtiJYoo0zGN+L3AAtNP9huqkWlzECQE1a
        licIeVlo1e+qJ6Mgqr0Q7Aa7falZ448ccbSFYEPD6oFxiOl9Y9se9iYHZKKfIcst
        o7DUw1/hz2Ck4N5JrgUCQQCyKveNvjzkkd8HjYs0SwM0fPjK16//5qDZ2UiDGnOe
        uEzxBDAr518Z8VFbR41in3W4Y3yCDgQlLlcETrS+zYcL
        -----END RSA PRIVATE KEY-----
        """;

    public const string Rfc8463RsaPublic =
        "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

    private static readonly Lazy<string> RsaPem = new(() => PemOf(DkimAlgorithm.Rsa));
    private static readonly Lazy<string> Ed25519Pem = new(() => PemOf(DkimAlgorithm.Ed25519));

    /// <summary>A 2048-bit RSA key, the same PEM for the whole run (generating one takes a while).</summary>
    public static DkimPrivateKey Rsa() => DkimPrivateKey.FromPem(RsaPem.Value);

    public static DkimPrivateKey Ed25519() => DkimPrivateKey.FromPem(Ed25519Pem.Value);

    public static DkimPrivateKey Of(DkimAlgorithm algorithm) => algorithm == DkimAlgorithm.Ed25519 ? Ed25519() : Rsa();

    public static string PemFor(DkimAlgorithm algorithm) => algorithm == DkimAlgorithm.Ed25519 ? Ed25519Pem.Value : RsaPem.Value;

    /// <summary>RFC 8463's Ed25519 seed as the PKCS#8 PEM a key file holds.</summary>
    public static string Rfc8463Ed25519Pem()
    {
        var key = new Ed25519PrivateKeyParameters(Convert.FromBase64String(Rfc8463Ed25519Seed));
        return PemEncoding.WriteString("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetEncoded());
    }

    private static string PemOf(DkimAlgorithm algorithm)
    {
        using var key = DkimPrivateKey.Generate(algorithm, 2048);
        return key.ToPem();
    }
}
