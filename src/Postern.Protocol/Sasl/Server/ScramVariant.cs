using System.Security.Cryptography;

namespace Postern.Protocol.Sasl.Server;

/// <summary>One of SCRAM-SHA-1, SCRAM-SHA-256 and their -PLUS (channel binding) forms.</summary>
internal sealed record ScramVariant(string Name, HashAlgorithmName Hash, bool Plus)
{
    public static readonly ScramVariant Sha1 = new("SCRAM-SHA-1", HashAlgorithmName.SHA1, false);
    public static readonly ScramVariant Sha1Plus = new("SCRAM-SHA-1-PLUS", HashAlgorithmName.SHA1, true);
    public static readonly ScramVariant Sha256 = new("SCRAM-SHA-256", HashAlgorithmName.SHA256, false);
    public static readonly ScramVariant Sha256Plus = new("SCRAM-SHA-256-PLUS", HashAlgorithmName.SHA256, true);
}
