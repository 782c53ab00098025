using System.Text;
using Postern.Server.Auth;

namespace Postern.Tests.Server.Auth;

public sealed class SaslBase64Tests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("YWxpY2U=", "alice")]
    [InlineData("AGFsaWNlAHNlY3JldA==", "\0alice\0secret")]
    public void Strict_base64_decodes(string line, string expected)
    {
        Assert.True(SaslBase64.TryDecode(Encoding.ASCII.GetBytes(line), out var decoded));
        Assert.Equal(expected, Encoding.UTF8.GetString(decoded));
    }

    [Theory]
    [InlineData("YWxpY2U")]
    [InlineData("YWxp Y2U=")]
    [InlineData("YW=xY2U=")]
    [InlineData("YWxpY2U=\t")]
    [InlineData("*")]
    public void Anything_else_is_refused(string line) =>
        Assert.False(SaslBase64.TryDecode(Encoding.ASCII.GetBytes(line), out _));
}
