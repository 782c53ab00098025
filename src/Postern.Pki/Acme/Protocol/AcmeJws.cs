using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The JWS of every ACME request (RFC 8555 6.2): flattened JSON serialization (RFC 7515 7.2.2)
/// with a protected header of alg, either jwk (new-account only) or kid (the account URL), nonce
/// and url; an empty payload for POST-as-GET. Also the external account binding (RFC 8555 7.3.4):
/// an HS256 JWS over the account's JWK, keyed with the CA's MAC key.
/// </summary>
internal static class AcmeJws
{
    /// <summary>The request body: {"protected","payload","signature"}.</summary>
    /// <param name="key">The account key that signs.</param>
    /// <param name="accountUrl">The kid; null puts the public key (jwk) in the header instead (new-account).</param>
    /// <param name="nonce">A fresh Replay-Nonce.</param>
    /// <param name="url">The request's URL, which the server compares with the one it was sent to.</param>
    /// <param name="payload">The JSON payload; null for POST-as-GET (the payload is then the empty string).</param>
    public static byte[] Sign(AcmeAccountKey key, Uri? accountUrl, string nonce, Uri url, byte[]? payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        var header = Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("alg", key.Algorithm);
            if (accountUrl is null)
            {
                writer.WritePropertyName("jwk");
                key.WriteJwk(writer);
            }
            else
            {
                writer.WriteString("kid", accountUrl.AbsoluteUri);
            }
            writer.WriteString("nonce", nonce);
            writer.WriteString("url", url.AbsoluteUri);
            writer.WriteEndObject();
        });
        var encodedPayload = payload is null ? string.Empty : Base64Url.EncodeToString(payload);
        var encodedHeader = Base64Url.EncodeToString(header);
        var signature = key.Sign(SigningInput(encodedHeader, encodedPayload));
        return Flattened(encodedHeader, encodedPayload, signature);
    }

    /// <summary>externalAccountBinding of new-account: {"alg":"HS256","kid":EAB_KID,"url":newAccount} over the account JWK.</summary>
    public static byte[] ExternalAccountBinding(AcmeAccountKey key, string eabKeyId, ReadOnlySpan<byte> macKey, Uri newAccountUrl)
    {
        ArgumentNullException.ThrowIfNull(key);
        var header = Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("alg", "HS256");
            writer.WriteString("kid", eabKeyId);
            writer.WriteString("url", newAccountUrl.AbsoluteUri);
            writer.WriteEndObject();
        });
        var encodedHeader = Base64Url.EncodeToString(header);
        var encodedPayload = Base64Url.EncodeToString(key.Jwk.Span);
        var signature = HMACSHA256.HashData(macKey, SigningInput(encodedHeader, encodedPayload));
        return Flattened(encodedHeader, encodedPayload, signature);
    }

    /// <summary>ASCII(BASE64URL(header) "." BASE64URL(payload)), RFC 7515 5.1.</summary>
    public static byte[] SigningInput(string encodedHeader, string encodedPayload) =>
        Encoding.ASCII.GetBytes(encodedHeader + "." + encodedPayload);

    private static byte[] Flattened(string encodedHeader, string encodedPayload, byte[] signature) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("protected", encodedHeader);
        writer.WriteString("payload", encodedPayload);
        writer.WriteString("signature", Base64Url.EncodeToString(signature));
        writer.WriteEndObject();
    });

    internal static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.ToArray();
    }
}
