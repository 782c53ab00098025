using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using Postern.Filters.Dkim;

namespace Postern.Tests.Filters.Dkim;

/// <summary>
/// The streamed body hash: the same whatever the pieces, equal to the RFC 6376 canonical form
/// written out whole, and to the bh= MimeKit's own signer computes.
/// </summary>
public sealed partial class DkimBodyHasherTests
{
    public static TheoryData<string, string, string> CanonicalForms => new()
    {
        // body, relaxed, simple
        { "", "", "\r\n" },
        { "\r\n", "", "\r\n" },
        { "\r\n\r\n\r\n", "", "\r\n" },
        { " \t \r\n", "", " \t \r\n" },
        { "no line end", "no line end\r\n", "no line end\r\n" },
        { "a  \t b \t\r\n", "a b\r\n", "a  \t b \t\r\n" },
        { "  lead\r\n", " lead\r\n", "  lead\r\n" },
        { "x\r\n\r\n \r\n\t\r\n", "x\r\n", "x\r\n\r\n \r\n\t\r\n" },
        { "x\r\n\r\ny\r\n\r\n", "x\r\n\r\ny\r\n", "x\r\n\r\ny\r\n" },
        { "cr\ralone\r\n", "cr\ralone\r\n", "cr\ralone\r\n" },
        { "ends in cr\r", "ends in cr\r\r\n", "ends in cr\r\r\n" },
        { "space before cr \r\n", "space before cr\r\n", "space before cr \r\n" },
        { "a \r\nb", "a\r\nb\r\n", "a \r\nb\r\n" },
        { "a\t\r\n\r\n b", "a\r\n\r\n b\r\n", "a\t\r\n\r\n b\r\n" },
        { "space \rthen cr\r\n", "space \rthen cr\r\n", "space \rthen cr\r\n" },
    };

    [Theory]
    [MemberData(nameof(CanonicalForms))]
    public void The_hash_is_that_of_the_canonical_form(string body, string relaxed, string simple)
    {
        Assert.Equal(Sha256(relaxed), Hash(DkimCanonicalization.Relaxed, Encoding.UTF8.GetBytes(body)));
        Assert.Equal(Sha256(simple), Hash(DkimCanonicalization.Simple, Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData(DkimCanonicalization.Relaxed)]
    [InlineData(DkimCanonicalization.Simple)]
    public void A_body_split_at_every_byte_gives_the_same_hash(DkimCanonicalization canonicalization)
    {
        var body = Encoding.UTF8.GetBytes(" lead\r\nruns  \t of   space \t\r\n\r\n\tx\ry \r\r\n\r\nlast  \r\n \r\n\r\n\t\r\n");
        var whole = Hash(canonicalization, body);

        for (var cut = 0; cut <= body.Length; cut++)
        {
            Assert.Equal(whole, Hash(canonicalization, body[..cut], body[cut..]));
        }
        Assert.Equal(whole, Hash(canonicalization, [.. body.Select(b => new[] { b })]));
        // Three pieces: every pair of cuts.
        for (var first = 0; first <= body.Length; first += 3)
        {
            for (var second = first; second <= body.Length; second += 2)
            {
                Assert.Equal(whole, Hash(canonicalization, body[..first], body[first..second], body[second..]));
            }
        }
    }

    [Theory]
    [InlineData(DkimCanonicalization.Relaxed)]
    [InlineData(DkimCanonicalization.Simple)]
    public void The_hash_agrees_with_the_bh_MimeKit_signs(DkimCanonicalization canonicalization)
    {
        using var pem = new MemoryStream(Encoding.ASCII.GetBytes(DkimTestKeys.PemFor(DkimAlgorithm.Rsa)));
        var mimeKit = new MimeKit.Cryptography.DkimSigner(pem, "example.org", "s1", DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = canonicalization == DkimCanonicalization.Simple ? DkimCanonicalizationAlgorithm.Simple : DkimCanonicalizationAlgorithm.Relaxed,
        };
        const string Body = "Hello  \t there\r\n\r\n  indented\r\n\tline with tab   \r\n\r\n\r\n";
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes("From: a@example.org\r\nSubject: s\r\n\r\n" + Body)));

        mimeKit.Sign(message, [HeaderId.From, HeaderId.Subject]);

        var signature = message.Headers[HeaderId.DkimSignature]!;
        var bh = BodyHashTag().Match(signature.Replace(" ", "", StringComparison.Ordinal)).Groups[1].Value;
        Assert.Equal(bh, Convert.ToBase64String(Hash(canonicalization, Encoding.UTF8.GetBytes(Body))));
    }

    private static byte[] Hash(DkimCanonicalization canonicalization, params byte[][] pieces)
    {
        using var hasher = new DkimBodyHasher(canonicalization);
        foreach (var piece in pieces)
        {
            hasher.Append(piece);
        }
        return hasher.Finish();
    }

    private static byte[] Sha256(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    [GeneratedRegex(@"bh=([A-Za-z0-9+/=]+);")]
    private static partial Regex BodyHashTag();
}
