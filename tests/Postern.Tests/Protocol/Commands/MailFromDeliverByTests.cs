using Postern.Core.Queueing;
using Postern.Protocol.Commands;

namespace Postern.Tests.Protocol.Commands;

public sealed class MailFromDeliverByTests
{
    [Theory]
    [InlineData("BY=120;R", 120, DeliverByMode.Return, false)]
    [InlineData("by=+60;rt", 60, DeliverByMode.Return, true)]
    [InlineData("BY=999999999;N", 999_999_999, DeliverByMode.Notify, false)]
    [InlineData("BY=0;N", 0, DeliverByMode.Notify, false)]
    [InlineData("BY=-30;NT", -30, DeliverByMode.Notify, true)]
    public void By_values_parse(string parameter, long seconds, DeliverByMode mode, bool trace)
    {
        var outcome = MailFromParser.ParseMailFrom("FROM:<a@b> " + parameter);

        Assert.True(outcome.IsSuccess, outcome.Error?.ToString());
        Assert.Equal(new DeliverByParameter(seconds, mode, trace), outcome.Value!.DeliverBy);
    }

    [Fact]
    public void Without_by_there_is_no_request() =>
        Assert.Null(MailFromParser.ParseMailFrom("FROM:<a@b> SIZE=1").Value!.DeliverBy);

    [Theory]
    [InlineData("BY")]
    [InlineData("BY=")]
    [InlineData("BY=60")]
    [InlineData("BY=60;")]
    [InlineData("BY=;R")]
    [InlineData("BY=-;N")]
    [InlineData("BY=1000000000;N")]
    [InlineData("BY=6 0;R")]
    [InlineData("BY=60;X")]
    [InlineData("BY=60;TR")]
    [InlineData("BY=60;RTT")]
    [InlineData("BY=60;R;T")]
    [InlineData("BY=0x10;N")]
    public void Malformed_by_values_are_501(string parameter) =>
        Assert.StartsWith("501 5.5.4", MailFromParser.ParseMailFrom("FROM:<a@b> " + parameter).Error!.ToString(), StringComparison.Ordinal);

    [Fact]
    public void A_second_by_is_refused() =>
        Assert.StartsWith("501 5.5.4 Duplicate BY", MailFromParser.ParseMailFrom("FROM:<a@b> BY=60;R BY=70;N").Error!.ToString(), StringComparison.Ordinal);

    [Theory]
    [InlineData("BY=59;R")]
    [InlineData("BY=0;R")]
    [InlineData("BY=-5;RT")]
    public void A_return_mode_time_below_the_minimum_is_553(string parameter) =>
        Assert.StartsWith("553 5.5.4", MailFromParser.ParseMailFrom("FROM:<a@b> " + parameter).Error!.ToString(), StringComparison.Ordinal);

    [Theory]
    [InlineData(120, DeliverByMode.Return, false, "120;R")]
    [InlineData(-4, DeliverByMode.Notify, true, "-4;NT")]
    public void Format_gives_the_wire_value(long seconds, DeliverByMode mode, bool trace, string expected) =>
        Assert.Equal(expected, new DeliverByParameter(seconds, mode, trace).Format());
}
