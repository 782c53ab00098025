using System.Security.Cryptography;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// The TSIG MAC algorithms Postern signs with (RFC 8945 6): hmac-sha256 (what tsig-keygen and
/// keymgr make by default), hmac-sha384, hmac-sha512, and hmac-sha1 for old servers. hmac-md5
/// is refused (RFC 8945 6: MUST NOT be used for new keys).
/// </summary>
public sealed class TsigAlgorithm
{
    public static readonly TsigAlgorithm HmacSha1 = new("hmac-sha1", 20, HMACSHA1.HashData);
    public static readonly TsigAlgorithm HmacSha256 = new("hmac-sha256", 32, HMACSHA256.HashData);
    public static readonly TsigAlgorithm HmacSha384 = new("hmac-sha384", 48, HMACSHA384.HashData);
    public static readonly TsigAlgorithm HmacSha512 = new("hmac-sha512", 64, HMACSHA512.HashData);

    private static readonly TsigAlgorithm[] All = [HmacSha256, HmacSha384, HmacSha512, HmacSha1];
    private readonly Func<byte[], byte[], byte[]> _mac;

    private TsigAlgorithm(string name, int macLength, Func<byte[], byte[], byte[]> mac)
    {
        Name = name;
        MacLength = macLength;
        _mac = mac;
    }

    /// <summary>The algorithm's domain name as TSIG carries it (without the trailing dot).</summary>
    public string Name { get; }

    /// <summary>The full MAC length in octets.</summary>
    public int MacLength { get; }

    /// <summary>The names a key file may give, for error messages.</summary>
    public static string Supported => string.Join(", ", All.Select(a => a.Name));

    /// <summary>The algorithm called <paramref name="name"/> (case-insensitive, a trailing dot allowed), or null.</summary>
    public static TsigAlgorithm? Find(string name) =>
        All.FirstOrDefault(a => DnsName.AreEqual(a.Name, name));

    internal byte[] Mac(byte[] secret, byte[] data) => _mac(secret, data);

    public override string ToString() => Name;
}
