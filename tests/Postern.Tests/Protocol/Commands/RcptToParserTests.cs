using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Protocol.Commands;

namespace Postern.Tests.Protocol.Commands;

public sealed class RcptToParserTests
{
    private static RcptToCommand Parse(string argument)
    {
        var outcome = RcptToParser.ParseRcptTo(argument);
        Assert.True(outcome.IsSuccess, outcome.Error?.ToString());
        return Assert.IsType<RcptToCommand>(outcome.Value);
    }

    private static string Fail(string argument)
    {
        var outcome = RcptToParser.ParseRcptTo(argument);
        Assert.False(outcome.IsSuccess);
        Assert.Null(outcome.Value);
        return outcome.Error!.ToString();
    }

    [Fact]
    public void Plain_recipient() =>
        Assert.Equal(new RcptToCommand(new Mailbox("u", "example.org"), DsnNotify.None, null), Parse("TO:<u@example.org>"));

    [Theory]
    [InlineData("to:<u@x>")]
    [InlineData("To: <u@x>")]
    public void Prefix_is_case_insensitive_with_an_optional_space(string argument) =>
        Assert.Equal(new Mailbox("u", "x"), Parse(argument).Recipient);

    [Fact]
    public void Postmaster_without_domain() =>
        Assert.Equal(new Mailbox("Postmaster", ""), Parse("TO:<postmaster>").Recipient);

    [Theory]
    [InlineData("NOTIFY=NEVER", DsnNotify.Never)]
    [InlineData("NOTIFY=never", DsnNotify.Never)]
    [InlineData("NOTIFY=SUCCESS", DsnNotify.Success)]
    [InlineData("NOTIFY=FAILURE,DELAY", DsnNotify.Failure | DsnNotify.Delay)]
    [InlineData("notify=delay,Success,FAILURE", DsnNotify.Failure | DsnNotify.Delay | DsnNotify.Success)]
    public void Notify_values(string parameter, DsnNotify notify) => Assert.Equal(notify, Parse("TO:<u@x> " + parameter).Notify);

    [Theory]
    [InlineData("NOTIFY=NEVER,SUCCESS")]
    [InlineData("NOTIFY=FAILURE,NEVER")]
    [InlineData("NOTIFY=SUCCESS,SUCCESS")]
    [InlineData("NOTIFY=SUCCESS,")]
    [InlineData("NOTIFY=,SUCCESS")]
    [InlineData("NOTIFY=ALWAYS")]
    [InlineData("NOTIFY=")]
    [InlineData("NOTIFY")]
    public void Bad_notify_values(string parameter) => Assert.Equal("501 5.5.4 Bad NOTIFY value", Fail("TO:<u@x> " + parameter));

    [Theory]
    [InlineData("ORCPT=rfc822;user+40example.org", "rfc822;user@example.org")]
    [InlineData("ORCPT=RFC822;a+2Bb@x", "RFC822;a+b@x")]
    [InlineData("orcpt=utf-8;用户@例子.广告", "utf-8;用户@例子.广告")]
    public void Original_recipient_is_kept_decoded(string parameter, string expected) =>
        Assert.Equal(expected, Parse("TO:<u@x> " + parameter).OriginalRecipient);

    [Theory]
    [InlineData("ORCPT=user@x")]
    [InlineData("ORCPT=;user@x")]
    [InlineData("ORCPT=rfc822;")]
    [InlineData("ORCPT=rfc(822);user@x")]
    [InlineData("ORCPT=rfc822;a+0D+0Ab")]
    [InlineData("ORCPT=rfc822;a+zz")]
    [InlineData("ORCPT")]
    public void Bad_original_recipients(string parameter) => Assert.Equal("501 5.5.4 Bad ORCPT value", Fail("TO:<u@x> " + parameter));

    [Fact]
    public void Original_recipient_is_limited_to_500_characters()
    {
        var value = "rfc822;" + new string('a', 493);
        Assert.Equal(value, Parse("TO:<u@x> ORCPT=" + value).OriginalRecipient);
        Assert.Equal("501 5.5.4 Bad ORCPT value", Fail("TO:<u@x> ORCPT=" + value + "a"));
    }

    [Fact]
    public void Both_parameters_together() =>
        Assert.Equal(
            new RcptToCommand(new Mailbox("u", "x"), DsnNotify.Failure, "rfc822;u@x") { Parameters = "NOTIFY=FAILURE ORCPT=rfc822;u@x" },
            Parse("TO:<u@x>  NOTIFY=FAILURE ORCPT=rfc822;u@x"));

    [Theory]
    [InlineData("TO:<u@x> NOTIFY=NEVER NOTIFY=NEVER", "501 5.5.4 Duplicate NOTIFY parameter")]
    [InlineData("TO:<u@x> ORCPT=rfc822;a@x ORCPT=rfc822;a@x", "501 5.5.4 Duplicate ORCPT parameter")]
    [InlineData("TO:<u@x> SIZE=10", "555 5.5.4 Unsupported parameter SIZE")]
    [InlineData("TO:<u@x> X-FOO", "555 5.5.4 Unsupported parameter X-FOO")]
    [InlineData("TO:<u@x> NOTIFY=NEVER=1", "501 5.5.4 Bad parameter syntax")]
    [InlineData("FROM:<u@x>", "501 5.5.4 Syntax: RCPT TO:<address> [parameters]")]
    [InlineData("", "501 5.5.4 Syntax: RCPT TO:<address> [parameters]")]
    [InlineData("TO:<>", "501 5.1.3 Bad recipient address syntax: empty address")]
    [InlineData("TO:u@x", "501 5.1.3 Bad recipient address syntax: address must be enclosed in <>")]
    [InlineData("TO:<u@x>garbage", "501 5.1.3 Bad recipient address syntax: unexpected text after address")]
    [InlineData("TO:<u>", "501 5.1.3 Bad recipient address syntax: missing domain")]
    public void Errors(string argument, string reply) => Assert.Equal(reply, Fail(argument));

    [Fact]
    public void Source_route_is_stripped() => Assert.Equal(new Mailbox("u", "x"), Parse("TO:<@r1,@r2:u@x>").Recipient);
}
