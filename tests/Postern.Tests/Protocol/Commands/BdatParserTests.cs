using Postern.Protocol.Commands;

namespace Postern.Tests.Protocol.Commands;

public sealed class BdatParserTests
{
    [Theory]
    [InlineData("100", 100, false)]
    [InlineData("100 LAST", 100, true)]
    [InlineData("0 last", 0, true)]
    [InlineData("0", 0, false)]
    [InlineData("42  Last", 42, true)]
    [InlineData("9223372036854775807", long.MaxValue, false)]
    public void Parses(string argument, long size, bool last)
    {
        var outcome = BdatParser.ParseBdat(argument);
        Assert.True(outcome.IsSuccess);
        Assert.Equal(new BdatCommand(size, last), outcome.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("LAST")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5")]
    [InlineData("12a")]
    [InlineData("100 LATER")]
    [InlineData("100 LAST LAST")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999")]
    [InlineData("１２")]
    public void Refuses(string argument)
    {
        var outcome = BdatParser.ParseBdat(argument);
        Assert.False(outcome.IsSuccess);
        Assert.Equal("501 5.5.4 Syntax: BDAT size [LAST]", outcome.Error!.ToString());
    }
}
