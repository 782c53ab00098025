using System.Security.Cryptography;
using System.Text;

namespace Postern.Protocol.Sasl.Server;

/// <summary>
/// The RFC 2831 section 2.1.2.1 computation, qop=auth: response-value when <c>serverProof</c>
/// is false, rspauth when true (A2 without "AUTHENTICATE").
/// </summary>
internal static class DigestMd5Digest
{
    /// <remarks>
    /// User name, realm and password go into the hash as ISO 8859-1 when they all fit in it, else
    /// as UTF-8 (which only a client that sent charset=utf-8 can mean).
    /// </remarks>
    public static string Compute(
        string userName, string realm, string password,
        string nonce, string clientNonce, string nonceCount, string digestUri, string? authorizationId, bool serverProof)
    {
        var credentials = userName + ":" + realm + ":" + password;
        var credentialBytes = FitsLatin1(credentials) ? Encoding.Latin1.GetBytes(credentials) : Encoding.UTF8.GetBytes(credentials);
        var a1 = new List<byte>(Md5(credentialBytes));
        a1.AddRange(Encoding.UTF8.GetBytes(":" + nonce + ":" + clientNonce));
        if (!string.IsNullOrEmpty(authorizationId))
        {
            a1.AddRange(Encoding.UTF8.GetBytes(":" + authorizationId));
        }
        var ha1 = Hex(Md5([.. a1]));
        var ha2 = Hex(Md5(Encoding.UTF8.GetBytes((serverProof ? "" : "AUTHENTICATE") + ":" + digestUri)));
        return Hex(Md5(Encoding.UTF8.GetBytes(ha1 + ":" + nonce + ":" + nonceCount + ":" + clientNonce + ":auth:" + ha2)));
    }

    private static bool FitsLatin1(string text)
    {
        foreach (var c in text)
        {
            if (c > 0xFF)
            {
                return false;
            }
        }
        return true;
    }

#pragma warning disable CA5351 // DIGEST-MD5 is defined with MD5.
    private static byte[] Md5(byte[] data) => MD5.HashData(data);
#pragma warning restore CA5351

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
