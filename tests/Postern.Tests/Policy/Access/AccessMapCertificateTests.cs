using Postern.Core.Tls;
using Postern.Policy.Access;

namespace Postern.Tests.Policy.Access;

public sealed class AccessMapCertificateTests
{
    private const string SeedIssuer = "/C=US/ST=Washington/L=Seattle/O=Foo Enterprises/OU=Security Division/CN=Jason Heiss";
    private static readonly string Fingerprint = string.Concat(Enumerable.Repeat("0a", 32));
    private static readonly string Spki = string.Concat(Enumerable.Repeat("1b", 32));

    private static CertificateFacts Facts(string subject, string issuer, string[]? dns = null, string[]? emails = null, string? fp = null, string? spki = null) =>
        new(subject, issuer, "CN=x", "CN=y", null, null, fp ?? new string('f', 64), spki ?? new string('e', 64),
            dns ?? [], emails ?? [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100), "01");

    private static CertificateVerification Verified(CertificateFacts facts, VerifyResult result = VerifyResult.Ok) =>
        new(result, result == VerifyResult.Ok ? VerifyFailure.None : VerifyFailure.Untrusted, null, facts);

    private static AccessMap Map(string text) => AccessMapParser.Parse(text, "access");

    [Fact]
    public void Seed_issuer_line_relays_a_verified_certificate()
    {
        var map = Map("CERTIssuer:/C=US/ST=Washington/L=Seattle/O=Foo+20Enterprises/OU=Security+20Division/CN=Jason+20Heiss        RELAY\n");

        var match = map.LookupCertificate(Verified(Facts("/CN=laptop", SeedIssuer)));

        Assert.NotNull(match);
        Assert.Equal(AccessAction.Relay, match.Entry.Action);
        Assert.Equal(1, match.Entry.Line);
        Assert.Contains("issuer", match.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VerifyResult.Fail)]
    [InlineData(VerifyResult.No)]
    [InlineData(VerifyResult.Not)]
    [InlineData(VerifyResult.None)]
    public void Unverified_certificate_never_matches_even_when_everything_is_listed(VerifyResult result)
    {
        var facts = Facts("/CN=laptop", SeedIssuer, ["laptop.example.org"], fp: Fingerprint, spki: Spki);
        var map = Map($"""
            CERTISSUER:{SendmailDnCodec.Encode(SeedIssuer)} RELAY
            CERTFP:sha256:{Fingerprint} RELAY
            CERTSPKI:sha256:{Spki} RELAY
            CERTSAN:laptop.example.org RELAY
            """);

        Assert.Null(map.LookupCertificate(Verified(facts, result)));
        Assert.NotNull(map.LookupCertificate(Verified(facts)));
    }

    [Fact]
    public void Subject_value_needs_the_subject_listed_too()
    {
        var map = Map("""
            CERTISSUER:/CN=Corp+20CA SUBJECT
            CERTSUBJECT:/CN=laptop+20one RELAY
            CERTSUBJECT:/CN=orphan RELAY
            """);

        var listed = map.LookupCertificate(Verified(Facts("/CN=laptop one", "/CN=Corp CA")));
        Assert.Equal(2, listed?.Entry.Line);
        Assert.Contains("SUBJECT", listed!.Reason, StringComparison.Ordinal);

        Assert.Null(map.LookupCertificate(Verified(Facts("/CN=someone else", "/CN=Corp CA"))));
        // A CERTSUBJECT entry alone grants nothing: only its issuer's SUBJECT leads to it (sendmail).
        Assert.Null(map.LookupCertificate(Verified(Facts("/CN=orphan", "/CN=Other CA"))));
    }

    [Fact]
    public void Distinguished_names_compare_case_sensitively()
    {
        var map = Map("CERTISSUER:/CN=Corp+20CA RELAY\n");

        Assert.Null(map.LookupCertificate(Verified(Facts("/CN=a", "/CN=corp ca"))));
    }

    [Fact]
    public void Escaped_slash_and_plus_from_openssl_oneline_match_hand_written_keys()
    {
        // X509_NAME_oneline writes O=A/B+C as O=A\/B\+C; the +XX form then encodes only the '+'.
        const string Issuer = @"/O=A\/B\+C (x)/CN=Root";
        var map = Map(@"CERTISSUER:/O=A\/B\+2BC+20+28x+29/CN=Root RELAY" + "\n");

        Assert.NotNull(map.LookupCertificate(Verified(Facts("/CN=a", Issuer))));
        Assert.Equal(@"/O=A\/B\+2BC+20+28x+29/CN=Root", SendmailDnCodec.Encode(Issuer));
    }

    [Fact]
    public void Fingerprint_spki_and_san_match_and_are_most_specific_first()
    {
        var facts = Facts("/CN=laptop", "/CN=Corp CA", ["mx.example.org"], ["Ops@Example.org"], Fingerprint, Spki);
        var all = $"""
            CERTISSUER:/CN=Corp+20CA REJECT
            CERTSAN:ops@example.org OK
            CERTSAN:MX.example.org RELAY
            CERTSPKI:sha256:{Spki.ToUpperInvariant()} RELAY
            CERTFP:sha256:{Fingerprint} DISCARD
            """;

        Assert.Equal(5, Map(all).LookupCertificate(Verified(facts))?.Entry.Line);
        Assert.Equal(4, Map(string.Join('\n', all.Split('\n')[..4])).LookupCertificate(Verified(facts))?.Entry.Line);
        Assert.Equal(3, Map(string.Join('\n', all.Split('\n')[..3])).LookupCertificate(Verified(facts))?.Entry.Line);
        Assert.Equal(2, Map(string.Join('\n', all.Split('\n')[..2])).LookupCertificate(Verified(facts))?.Entry.Line);
        Assert.Equal(1, Map(string.Join('\n', all.Split('\n')[..1])).LookupCertificate(Verified(facts))?.Entry.Line);
    }

    [Fact]
    public void Verified_certificate_without_any_entry_matches_nothing() =>
        Assert.Null(Map("CERTISSUER:/CN=Other RELAY\n").LookupCertificate(Verified(Facts("/CN=a", "/CN=Corp CA"))));
}
