using Postern.Protocol.Commands;

namespace Postern.Tests.Protocol.Commands;

public sealed class XtextCodecTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a+2Bb", "a+b")]
    [InlineData("a+3Db", "a=b")]
    [InlineData("a+20b", "a b")]
    [InlineData("+2b", "+")]
    [InlineData("user@example.org", "user@example.org")]
    [InlineData("+C3+BC", "ü")]
    [InlineData("ü", "ü")]
    [InlineData("", "")]
    public void Decodes(string xtext, string expected)
    {
        Assert.True(XtextCodec.TryDecode(xtext, out var decoded));
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("a+")]
    [InlineData("a+2")]
    [InlineData("a+G0")]
    [InlineData("a=b")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("+C3")]
    [InlineData("+FF")]
    public void Refuses_malformed_xtext(string xtext) => Assert.False(XtextCodec.TryDecode(xtext, out _));

    [Fact]
    public void Refuses_a_lone_surrogate() => Assert.False(XtextCodec.TryDecode("a\ud800b", out _));

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a+b=c d", "a+2Bb+3Dc+20d")]
    [InlineData("ü", "+C3+BC")]
    [InlineData("\r\n", "+0D+0A")]
    public void Encodes(string text, string expected) => Assert.Equal(expected, XtextCodec.Encode(text));

    [Theory]
    [InlineData("plain")]
    [InlineData("with space+plus=equals")]
    [InlineData("用户@例子.广告")]
    [InlineData("\u0001\u007f~!")]
    public void Round_trips(string text)
    {
        Assert.True(XtextCodec.TryDecode(XtextCodec.Encode(text), out var decoded));
        Assert.Equal(text, decoded);
    }
}
