using Postern.Tools.Check;

namespace Postern.Tests.Tools.Check;

public sealed class CheckTargetTests
{
    [Theory]
    [InlineData("mail.example.org:587", "mail.example.org", 587)]
    [InlineData("127.0.0.1:2525", "127.0.0.1", 2525)]
    [InlineData("[::1]:465", "::1", 465)]
    [InlineData("[::1]", "::1", 25)]
    [InlineData("mail.example.org", "mail.example.org", 25)]
    public void Parses_host_and_port(string text, string host, int port)
    {
        Assert.True(CheckTarget.TryParse(text, out var target, out var error), error);
        Assert.Equal(new CheckTarget(host, port), target);
    }

    [Theory]
    [InlineData("mail.example.org:0")]
    [InlineData("mail.example.org:65536")]
    [InlineData("mail.example.org:smtp")]
    [InlineData(":25")]
    [InlineData("::1:25")]
    [InlineData("[::1]25")]
    public void Refuses_what_is_not_host_port(string text)
    {
        Assert.False(CheckTarget.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }
}
