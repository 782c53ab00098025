using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Certificates;
using static Postern.Tests.Pki.TestNames;

namespace Postern.Tests.Pki;

public sealed class DistinguishedNameFormatterTests
{
    private static readonly X500DistinguishedName JasonHeiss = Simple(
        (Country, "US"), (State, "Washington"), (Organization, "Foo Enterprises"), (CommonName, "Jason Heiss"), (Email, "jason@example.org"));

    [Fact]
    public void Sendmail_form_keeps_encoding_order_with_openssl_short_names()
    {
        Assert.Equal(
            "/C=US/ST=Washington/O=Foo Enterprises/CN=Jason Heiss/emailAddress=jason@example.org",
            DistinguishedNameFormatter.ToSendmail(JasonHeiss));
    }

    [Fact]
    public void Sendmail_form_joins_a_multi_valued_rdn_with_plus()
    {
        var name = Build([Attribute(Organization, "Org")], [Attribute(CommonName, "a"), Attribute(Uid, "b")], [Attribute(Country, "DE")]);

        Assert.Equal("/O=Org/CN=a+UID=b/C=DE", DistinguishedNameFormatter.ToSendmail(name));
    }

    [Fact]
    public void Sendmail_form_hex_escapes_the_utf8_bytes_of_non_ascii_text()
    {
        var name = Simple((Organization, "Zürich Ä"), (CommonName, "日本"));

        Assert.Equal(@"/O=Z\xC3\xBCrich \xC3\x84/CN=\xE6\x97\xA5\xE6\x9C\xAC", DistinguishedNameFormatter.ToSendmail(name));
    }

    [Fact]
    public void Sendmail_form_prints_the_raw_octets_of_a_bmp_string()
    {
        var name = Build([(CommonName, "Aé", UniversalTagNumber.BMPString)]);

        Assert.Equal(@"/CN=\x00A\x00\xE9", DistinguishedNameFormatter.ToSendmail(name));
    }

    [Fact]
    public void Sendmail_form_prints_the_raw_octets_of_a_latin1_t61_string()
    {
        var name = WithRawValue(Organization, [0x14, 0x04, (byte)'C', (byte)'a', (byte)'f', 0xE9]);

        Assert.Equal(@"/O=Caf\xE9", DistinguishedNameFormatter.ToSendmail(name));
        Assert.Equal("O=Café", DistinguishedNameFormatter.ToRfc4514(name));
    }

    [Fact]
    public void Sendmail_form_leaves_specials_and_spaces_raw_but_backslashes_slash_and_plus()
    {
        var name = Simple((Organization, "a<b>(c) \"d\" e+f/g,h;i=j\\k"), (CommonName, "x"));

        Assert.Equal("/O=a<b>(c) \"d\" e\\+f\\/g,h;i=j\\k/CN=x", DistinguishedNameFormatter.ToSendmail(name));
    }

    [Fact]
    public void Sendmail_form_hex_escapes_control_characters_and_del()
    {
        var name = Simple((CommonName, "a\nb\tc\u007fd"));

        Assert.Equal(@"/CN=a\x0Ab\x09c\x7Fd", DistinguishedNameFormatter.ToSendmail(name));
    }

    [Fact]
    public void Sendmail_form_prints_only_every_fourth_octet_of_a_ucs4_looking_general_string()
    {
        var ucs4 = WithRawValue(CommonName, [0x1B, 0x08, 0, 0, 0, (byte)'A', 0, 0, 0, (byte)'B']);
        var other = WithRawValue(CommonName, [0x1B, 0x04, 0, (byte)'A', 0, (byte)'B']);

        Assert.Equal("/CN=AB", DistinguishedNameFormatter.ToSendmail(ucs4));
        Assert.Equal(@"/CN=\x00A\x00B", DistinguishedNameFormatter.ToSendmail(other));
    }

    [Fact]
    public void Sendmail_form_writes_unknown_types_as_dotted_oids()
    {
        var name = Simple((CommonName, "x"), ("1.2.3.4.5", "private"));

        Assert.Equal("/CN=x/1.2.3.4.5=private", DistinguishedNameFormatter.ToSendmail(name));
    }

    [Fact]
    public void Empty_name_is_empty_in_both_forms()
    {
        var name = new X500DistinguishedName([0x30, 0x00]);

        Assert.Equal("", DistinguishedNameFormatter.ToSendmail(name));
        Assert.Equal("", DistinguishedNameFormatter.ToRfc4514(name));
        Assert.Null(DistinguishedNameFormatter.CommonName(name));
    }

    [Theory]
    [InlineData("2.5.4.6", "C")]
    [InlineData("2.5.4.8", "ST")]
    [InlineData("2.5.4.7", "L")]
    [InlineData("2.5.4.10", "O")]
    [InlineData("2.5.4.11", "OU")]
    [InlineData("2.5.4.3", "CN")]
    [InlineData("1.2.840.113549.1.9.1", "emailAddress")]
    [InlineData("2.5.4.5", "serialNumber")]
    [InlineData("2.5.4.4", "SN")]
    [InlineData("2.5.4.42", "GN")]
    [InlineData("2.5.4.12", "title")]
    [InlineData("0.9.2342.19200300.100.1.25", "DC")]
    [InlineData("0.9.2342.19200300.100.1.1", "UID")]
    [InlineData("2.5.4.9", "street")]
    [InlineData("2.5.4.17", "postalCode")]
    [InlineData("2.5.4.41", "name")]
    [InlineData("2.5.4.43", "initials")]
    [InlineData("2.5.4.44", "generationQualifier")]
    [InlineData("2.5.4.65", "pseudonym")]
    [InlineData("2.5.4.13", "description")]
    [InlineData("2.5.4.15", "businessCategory")]
    [InlineData("2.5.4.46", "dnQualifier")]
    public void Sendmail_form_uses_openssl_short_names(string oid, string shortName)
    {
        var name = Build([(oid, "v", UniversalTagNumber.UTF8String)]);

        Assert.Equal("/" + shortName + "=v", DistinguishedNameFormatter.ToSendmail(name));
    }

    public static TheoryData<string> OracleNames => new()
    {
        "simple",
        "multi",
        "nonascii",
        "specials",
        "control",
        "bmp",
        "t61",
        "unknown",
        "shortnames",
    };

    [Theory]
    [MemberData(nameof(OracleNames))]
    public void Sendmail_form_equals_openssl_nameopt_compat(string which)
    {
        if (!OpenSslTool.IsAvailable)
        {
            return; // The exact-string tests above carry the same expectations.
        }

        var name = which switch
        {
            "simple" => JasonHeiss,
            "multi" => Build([Attribute(Organization, "Org")], [Attribute(CommonName, "a"), Attribute(Uid, "b")]),
            "nonascii" => Simple((Organization, "Zürich Ä"), (CommonName, "日本")),
            "specials" => Simple((Organization, "a<b>(c) \"d\" e+f/g,h;i=j\\k"), (CommonName, "x")),
            "control" => Simple((CommonName, "a\nb\tc\u007fd")),
            "bmp" => Build([(CommonName, "Aé", UniversalTagNumber.BMPString)]),
            "t61" => WithRawValue(Organization, [0x14, 0x04, (byte)'C', (byte)'a', (byte)'f', 0xE9]),
            "unknown" => Simple((CommonName, "x"), ("1.2.3.4.5", "private")),
            _ => Simple(
                ("2.5.4.5", "1"), ("2.5.4.4", "2"), ("2.5.4.42", "3"), ("2.5.4.12", "4"), (DomainComponent, "5"), ("2.5.4.9", "6"),
                ("2.5.4.17", "7"), ("2.5.4.41", "8"), ("2.5.4.43", "9"), ("2.5.4.44", "10"), ("2.5.4.65", "11"),
                ("2.5.4.13", "12"), ("2.5.4.15", "13"), ("2.5.4.46", "14"), (Locality, "15"), (OrganizationalUnit, "16")),
        };
        using var ca = TestCertificates.CreateRootCa("CN=Oracle CA");
        using var certificate = TestCertificates.CreateLeaf(name, ca);

        var expected = OpenSslTool.X509(certificate, "-subject", "-nameopt", "compat");

        Assert.Equal(expected, "subject=" + DistinguishedNameFormatter.ToSendmail(certificate.SubjectName));
    }

    [Fact]
    public void Rfc4514_reverses_rdns_and_hex_encodes_types_without_an_rfc4514_name()
    {
        Assert.Equal(
            "1.2.840.113549.1.9.1=#16116A61736F6E406578616D706C652E6F7267,CN=Jason Heiss,O=Foo Enterprises,ST=Washington,C=US",
            DistinguishedNameFormatter.ToRfc4514(JasonHeiss));
    }

    [Fact]
    public void Rfc4514_uses_its_own_short_names()
    {
        var name = Simple((DomainComponent, "org"), (DomainComponent, "example"), ("2.5.4.9", "Main St 1"), (Locality, "Town"), (Uid, "jdoe"));

        Assert.Equal("UID=jdoe,L=Town,STREET=Main St 1,DC=example,DC=org", DistinguishedNameFormatter.ToRfc4514(name));
    }

    [Fact]
    public void Rfc4514_joins_multi_valued_rdns_with_plus()
    {
        var name = Build([Attribute(Country, "US")], [Attribute(CommonName, "a"), Attribute(Uid, "b")]);

        Assert.Equal("CN=a+UID=b,C=US", DistinguishedNameFormatter.ToRfc4514(name));
    }

    [Theory]
    [InlineData("a,b", @"CN=a\,b")]
    [InlineData("a+b", @"CN=a\+b")]
    [InlineData("say \"hi\"", @"CN=say \""hi\""")]
    [InlineData(@"back\slash", @"CN=back\\slash")]
    [InlineData("<a>", @"CN=\<a\>")]
    [InlineData("a;b", @"CN=a\;b")]
    [InlineData("#hash", @"CN=\#hash")]
    [InlineData("mid#hash", "CN=mid#hash")]
    [InlineData(" lead", @"CN=\ lead")]
    [InlineData("trail ", @"CN=trail\ ")]
    [InlineData("in side", "CN=in side")]
    [InlineData("nul\0byte", @"CN=nul\00byte")]
    [InlineData("a=b/c", "CN=a=b/c")]
    [InlineData("Zürich", "CN=Zürich")]
    public void Rfc4514_escapes_per_section_2_4(string value, string expected)
    {
        Assert.Equal(expected, DistinguishedNameFormatter.ToRfc4514(Simple((CommonName, value))));
    }

    [Fact]
    public void Rfc4514_hex_encodes_a_value_that_is_not_a_string()
    {
        var name = WithRawValue(CommonName, [0x04, 0x02, 0x01, 0x02]);

        Assert.Equal("CN=#04020102", DistinguishedNameFormatter.ToRfc4514(name));
    }

    [Fact]
    public void Rfc4514_decodes_bmp_strings()
    {
        var name = Build([(Organization, "Aé", UniversalTagNumber.BMPString)]);

        Assert.Equal("O=Aé", DistinguishedNameFormatter.ToRfc4514(name));
    }

    [Fact]
    public void Common_name_is_the_last_cn()
    {
        var name = Simple((CommonName, "first"), (Organization, "x"), (CommonName, "second"));

        Assert.Equal("second", DistinguishedNameFormatter.CommonName(name));
    }

    [Fact]
    public void Common_name_is_null_without_cn_and_decoded_when_bmp()
    {
        Assert.Null(DistinguishedNameFormatter.CommonName(Simple((Organization, "x"))));
        Assert.Equal("Aé", DistinguishedNameFormatter.CommonName(Build([(CommonName, "Aé", UniversalTagNumber.BMPString)])));
    }
}
