using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Postern.Core.Stages;
using Postern.Filters.Dkim;

namespace Postern.Tests.Filters.Dkim;

/// <summary>
/// RFC 8463 appendix A: its message, its two keys and the signatures it publishes. RSASSA-PKCS1-v1_5
/// and Ed25519 are deterministic, so the same key over the same canonical data gives the same bytes:
/// the body hash, the header selection and canonicalization, and the Ed25519-over-SHA-256 rule
/// are all checked at once.
/// </summary>
public sealed partial class Rfc8463ExampleTests
{
    private const string Message =
        "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
        + " d=football.example.com; i=@football.example.com;\r\n"
        + " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
        + " subject : date : message-id : from : subject : date;\r\n"
        + " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
        + " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
        + " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\r\n"
        + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
        + " d=football.example.com; i=@football.example.com;\r\n"
        + " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
        + " date : message-id : from : subject : date;\r\n"
        + " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
        + " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\r\n"
        + " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\r\n"
        + " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=\r\n"
        + "From: Joe SixPack <joe@football.example.com>\r\n"
        + "To: Suzie Q <suzie@shopping.example.net>\r\n"
        + "Subject: Is dinner ready?\r\n"
        + "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
        + "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
        + "\r\n"
        + "Hi.\r\n"
        + "\r\n"
        + "We lost the game.  Are you hungry yet?\r\n"
        + "\r\n"
        + "Joe.\r\n";

    private static readonly string[] SignedNames = ["from", "to", "subject", "date", "message-id", "from", "subject", "date"];

    [Fact]
    public void The_body_hash_is_the_published_one()
    {
        var bytes = Encoding.ASCII.GetBytes(Message);
        using var hasher = new DkimBodyHasher(DkimCanonicalization.Relaxed);

        hasher.Append(bytes.AsSpan(HeaderBlock.Measure(bytes)));

        Assert.Equal("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=", Convert.ToBase64String(hasher.Finish()));
    }

    [Theory]
    [InlineData(0, "ed25519")]
    [InlineData(1, "rsa")]
    public void The_published_signature_comes_out_of_the_published_key(int signatureIndex, string algorithm)
    {
        var bytes = Encoding.ASCII.GetBytes(Message);
        var headers = HeaderBlock.Parse(bytes.AsMemory(0, HeaderBlock.Measure(bytes)));
        var signature = headers.Where(h => h.Is(DkimSigner.FieldName)).ElementAt(signatureIndex);
        var raw = Encoding.ASCII.GetString(signature.ToBytes());
        var published = Whitespace().Replace(raw[(raw.LastIndexOf("b=", StringComparison.Ordinal) + 2)..], "");
        var unsigned = raw[..(raw.LastIndexOf("b=", StringComparison.Ordinal) + 2)];
        using var key = DkimPrivateKey.FromPem(algorithm == "rsa" ? DkimTestKeys.Rfc8463RsaPem : DkimTestKeys.Rfc8463Ed25519Pem());

        var data = new ArrayBufferWriter<byte>();
        var used = new HashSet<HeaderField>(ReferenceEqualityComparer.Instance);
        foreach (var name in SignedNames)
        {
            if (headers.LastOrDefault(h => h.Is(name) && !used.Contains(h)) is { } field)
            {
                used.Add(field);
                DkimHeaderCanonicalizer.AppendField(data, field.ToBytes(), DkimCanonicalization.Relaxed);
            }
        }
        DkimHeaderCanonicalizer.AppendSignatureField(data, Encoding.ASCII.GetBytes(unsigned), DkimCanonicalization.Relaxed);

        Assert.Equal(published, Convert.ToBase64String(key.Sign(data.WrittenSpan.ToArray())));
    }

    [Fact]
    public void The_published_keys_are_the_keys_read_from_their_PEM_and_MimeKit_verifies_the_message()
    {
        using var rsa = DkimPrivateKey.FromPem(DkimTestKeys.Rfc8463RsaPem);
        using var ed25519 = DkimPrivateKey.FromPem(DkimTestKeys.Rfc8463Ed25519Pem());
        Assert.Equal(DkimTestKeys.Rfc8463RsaPublic, rsa.PublicKeyBase64);
        Assert.Equal(DkimTestKeys.Rfc8463Ed25519Public, ed25519.PublicKeyBase64);

        var records = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["brisbane._domainkey.football.example.com"] = "v=DKIM1; k=ed25519; p=" + DkimTestKeys.Rfc8463Ed25519Public,
            ["test._domainkey.football.example.com"] = "v=DKIM1; k=rsa; p=" + DkimTestKeys.Rfc8463RsaPublic,
        };
        Assert.Equal([true, true], DkimTestMessages.Verify(Encoding.ASCII.GetBytes(Message), records));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
