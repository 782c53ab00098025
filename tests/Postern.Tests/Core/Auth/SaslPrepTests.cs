using Postern.Core.Auth;

namespace Postern.Tests.Core.Auth;

public sealed class SaslPrepTests
{
    // RFC 4013 section 3 examples, except #5 (NFKC, which Postern does not apply).
    [Theory]
    [InlineData("I\u00ADX", "IX")]
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00AA", "\u00AA")]
    [InlineData("a\u00A0b\u3000c", "a b c")]
    [InlineData("p\u200Bw\uFEFF", "pw")]
    [InlineData("\u05D0\u05D1", "\u05D0\u05D1")]
    [InlineData("Grüße", "Grüße")]
    public void Maps(string input, string expected)
    {
        Assert.Equal(expected, SaslPrep.Prepare(input));
    }

    [Theory]
    [InlineData("\u0007")] // RFC 4013 example 6: prohibited
    [InlineData("\u0627\u0031")] // example 7: bidi, must end with RandALCat
    [InlineData("a\u0000b")]
    [InlineData("a\u007Fb")]
    [InlineData("\uE000")]
    [InlineData("\uFFFE")]
    [InlineData("a\u202Eb")]
    [InlineData("\uD800")]
    [InlineData("\u05D0a\u05D1")] // mixed directions
    [InlineData("a\u0378")] // unassigned
    public void Refuses(string input)
    {
        Assert.Null(SaslPrep.Prepare(input));
    }
}
