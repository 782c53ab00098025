using Postern.Policy.Access;

namespace Postern.Tests.Policy.Access;

public sealed class SendmailDnCodecTests
{
    private const string SeedDn = "/C=US/ST=Washington/L=Seattle/O=Foo Enterprises/OU=Security Division/CN=Jason Heiss";
    private const string SeedEncoded = "/C=US/ST=Washington/L=Seattle/O=Foo+20Enterprises/OU=Security+20Division/CN=Jason+20Heiss";

    [Fact]
    public void Seed_example_encodes_exactly() =>
        Assert.Equal(SeedEncoded, SendmailDnCodec.Encode(SeedDn));

    [Fact]
    public void Seed_example_decodes_exactly() =>
        Assert.Equal(SeedDn, SendmailDnCodec.Decode(SeedEncoded));

    [Theory]
    [InlineData(" ", "+20")]
    [InlineData("+", "+2B")]
    [InlineData("<", "+3C")]
    [InlineData(">", "+3E")]
    [InlineData("(", "+28")]
    [InlineData(")", "+29")]
    [InlineData("\"", "+22")]
    [InlineData("\t", "+09")]
    [InlineData("\u007f", "+7F")]
    [InlineData("\u0001", "+01")]
    [InlineData("é", "+C3+A9")]
    [InlineData(@"a\/b\+c\x0A", @"a\/b\+2Bc\x0A")]
    [InlineData("/CN=x=y,z;!~", "/CN=x=y,z;!~")]
    public void Every_special_character_is_encoded(string plain, string encoded)
    {
        Assert.Equal(encoded, SendmailDnCodec.Encode(plain));
        Assert.Equal(plain, SendmailDnCodec.Decode(encoded));
    }

    [Fact]
    public void Every_printable_ascii_character_round_trips()
    {
        var all = new string(Enumerable.Range(0, 0x80).Select(i => (char)i).ToArray());

        var encoded = SendmailDnCodec.Encode(all);

        Assert.DoesNotContain(' ', encoded);
        Assert.Equal(all, SendmailDnCodec.Decode(encoded));
    }

    [Fact]
    public void Lowercase_hex_decodes() =>
        Assert.Equal("O=A B+C", SendmailDnCodec.Decode("O=A+20B+2b+43"));

    [Theory]
    [InlineData("O=A+")]
    [InlineData("O=A+2")]
    [InlineData("O=A+ZZ")]
    [InlineData("O=A+-1")]
    [InlineData("O=+C3")]
    public void Bad_plus_escapes_are_errors(string encoded) =>
        Assert.Throws<FormatException>(() => SendmailDnCodec.Decode(encoded));
}
