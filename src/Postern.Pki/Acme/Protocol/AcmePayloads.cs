using System.Buffers.Text;

namespace Postern.Pki.Acme.Protocol;

/// <summary>The JSON payloads Postern sends (RFC 8555 7.3, 7.4, 7.5.1), written with the fields in the RFC's order.</summary>
internal static class AcmePayloads
{
    /// <summary>The payload that tells the server a challenge is ready: an empty object (RFC 8555 7.5.1).</summary>
    public static byte[] Empty { get; } = "{}"u8.ToArray();

    /// <summary>new-account: contact, termsOfServiceAgreed, onlyReturnExisting, externalAccountBinding.</summary>
    public static byte[] NewAccount(AcmeAccountRequest request, byte[]? externalAccountBinding) => AcmeJws.Json(writer =>
    {
        writer.WriteStartObject();
        if (request.Contact.Count > 0)
        {
            writer.WriteStartArray("contact");
            foreach (var contact in request.Contact)
            {
                writer.WriteStringValue(contact);
            }
            writer.WriteEndArray();
        }
        if (request.TermsOfServiceAgreed)
        {
            writer.WriteBoolean("termsOfServiceAgreed", true);
        }
        if (request.OnlyReturnExisting)
        {
            writer.WriteBoolean("onlyReturnExisting", true);
        }
        if (externalAccountBinding is not null)
        {
            writer.WritePropertyName("externalAccountBinding");
            writer.WriteRawValue(externalAccountBinding);
        }
        writer.WriteEndObject();
    });

    /// <summary>new-order: the DNS identifiers and, when renewing by ARI, the certID it replaces (RFC 9773 5).</summary>
    public static byte[] NewOrder(IReadOnlyList<string> domains, string? replaces) => AcmeJws.Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("identifiers");
        foreach (var domain in domains)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "dns");
            writer.WriteString("value", domain);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (replaces is not null)
        {
            writer.WriteString("replaces", replaces);
        }
        writer.WriteEndObject();
    });

    /// <summary>finalize: the CSR, base64url of its DER (RFC 8555 7.4).</summary>
    public static byte[] Finalize(ReadOnlySpan<byte> csrDer)
    {
        var encoded = Base64Url.EncodeToString(csrDer);
        return AcmeJws.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("csr", encoded);
            writer.WriteEndObject();
        });
    }
}
