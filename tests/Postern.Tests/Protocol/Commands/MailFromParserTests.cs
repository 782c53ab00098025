using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Protocol.Commands;

namespace Postern.Tests.Protocol.Commands;

public sealed class MailFromParserTests
{
    private static MailFromCommand Parse(string argument)
    {
        var outcome = MailFromParser.ParseMailFrom(argument);
        Assert.True(outcome.IsSuccess, outcome.Error?.ToString());
        return Assert.IsType<MailFromCommand>(outcome.Value);
    }

    private static string Fail(string argument)
    {
        var outcome = MailFromParser.ParseMailFrom(argument);
        Assert.False(outcome.IsSuccess);
        Assert.Null(outcome.Value);
        return outcome.Error!.ToString();
    }

    [Fact]
    public void Plain_sender_has_no_parameters()
    {
        Assert.Equal(
            new MailFromCommand(new Mailbox("a", "example.org"), null, null, false, DsnReturn.Unspecified, null, null),
            Parse("FROM:<a@example.org>"));
    }

    [Theory]
    [InlineData("from:<a@b>")]
    [InlineData("From:<a@b>")]
    [InlineData("FROM: <a@b>")]
    public void Prefix_is_case_insensitive_and_one_space_after_the_colon_is_tolerated(string argument) =>
        Assert.Equal(new Mailbox("a", "b"), Parse(argument).Sender);

    [Fact]
    public void Null_sender_is_allowed()
    {
        var command = Parse("FROM:<> BODY=8BITMIME");
        Assert.Null(command.Sender);
        Assert.Equal(BodyType.EightBitMime, command.Body);
    }

    [Fact]
    public void All_parameters_parse_in_any_case()
    {
        var command = Parse("FROM:<a@b> size=12345 Body=BinaryMIME smtputf8 RET=hdrs EnvId=QQ+2B123 AUTH=user+40example.org");
        Assert.Equal(
            new MailFromCommand(new Mailbox("a", "b"), 12345, BodyType.BinaryMime, true, DsnReturn.Headers, "QQ+123", "user@example.org")
            {
                // As sent, for the stage handlers (milters get MAIL's arguments so).
                Parameters = "size=12345 Body=BinaryMIME smtputf8 RET=hdrs EnvId=QQ+2B123 AUTH=user+40example.org",
            },
            command);
        Assert.Equal(["size=12345", "Body=BinaryMIME", "smtputf8", "RET=hdrs", "EnvId=QQ+2B123", "AUTH=user+40example.org"], command.ParameterList);
    }

    [Theory]
    [InlineData("BODY=7BIT", BodyType.SevenBit)]
    [InlineData("BODY=8bitmime", BodyType.EightBitMime)]
    [InlineData("BODY=BINARYMIME", BodyType.BinaryMime)]
    public void Body_values(string parameter, BodyType body) => Assert.Equal(body, Parse("FROM:<a@b> " + parameter).Body);

    [Fact]
    public void Ret_full_and_auth_null()
    {
        var command = Parse("FROM:<a@b> RET=FULL AUTH=<>");
        Assert.Equal(DsnReturn.Full, command.Return);
        Assert.Equal("<>", command.Auth);
    }

    [Fact]
    public void Extra_spaces_between_parameters_are_tolerated() =>
        Assert.Equal(10, Parse("FROM:<a@b>  SIZE=10   SMTPUTF8").Size);

    [Fact]
    public void Size_beyond_a_long_is_clamped_so_the_session_can_answer_552() =>
        Assert.Equal(long.MaxValue, Parse("FROM:<a@b> SIZE=99999999999999999999").Size);

    [Fact]
    public void Utf8_sender_parses() =>
        Assert.Equal(new Mailbox("用户", "例子.广告"), Parse("FROM:<用户@例子.广告> SMTPUTF8").Sender);

    [Theory]
    [InlineData("FROM:<a@b> FOO=1", "555 5.5.4 Unsupported parameter FOO")]
    [InlineData("FROM:<a@b> NOTIFY=NEVER", "555 5.5.4 Unsupported parameter NOTIFY")]
    [InlineData("FROM:<a@b> XVERP", "555 5.5.4 Unsupported parameter XVERP")]
    public void Unknown_parameters_are_unsupported(string argument, string reply) => Assert.Equal(reply, Fail(argument));

    [Theory]
    [InlineData("FROM:<a@b> SIZE=1 SIZE=2", "501 5.5.4 Duplicate SIZE parameter")]
    [InlineData("FROM:<a@b> BODY=7BIT body=8BITMIME", "501 5.5.4 Duplicate BODY parameter")]
    [InlineData("FROM:<a@b> SMTPUTF8 SMTPUTF8", "501 5.5.4 Duplicate SMTPUTF8 parameter")]
    [InlineData("FROM:<a@b> RET=FULL RET=HDRS", "501 5.5.4 Duplicate RET parameter")]
    [InlineData("FROM:<a@b> ENVID=a ENVID=b", "501 5.5.4 Duplicate ENVID parameter")]
    [InlineData("FROM:<a@b> AUTH=<> AUTH=<>", "501 5.5.4 Duplicate AUTH parameter")]
    public void Duplicate_parameters_are_refused(string argument, string reply) => Assert.Equal(reply, Fail(argument));

    [Theory]
    [InlineData("FROM:<a@b> SIZE", "501 5.5.4 Bad SIZE value")]
    [InlineData("FROM:<a@b> SIZE=", "501 5.5.4 Bad SIZE value")]
    [InlineData("FROM:<a@b> SIZE=-1", "501 5.5.4 Bad SIZE value")]
    [InlineData("FROM:<a@b> SIZE=1k", "501 5.5.4 Bad SIZE value")]
    [InlineData("FROM:<a@b> SIZE=123456789012345678901", "501 5.5.4 Bad SIZE value")]
    [InlineData("FROM:<a@b> BODY=8BIT", "501 5.5.4 Bad BODY value")]
    [InlineData("FROM:<a@b> BODY", "501 5.5.4 Bad BODY value")]
    [InlineData("FROM:<a@b> SMTPUTF8=yes", "501 5.5.4 Bad SMTPUTF8 value")]
    [InlineData("FROM:<a@b> RET=HEADERS", "501 5.5.4 Bad RET value")]
    [InlineData("FROM:<a@b> ENVID=a+0Db", "501 5.5.4 Bad ENVID value")]
    [InlineData("FROM:<a@b> ENVID=a+", "501 5.5.4 Bad ENVID value")]
    [InlineData("FROM:<a@b> ENVID", "501 5.5.4 Bad ENVID value")]
    [InlineData("FROM:<a@b> AUTH=a+0D+0AQUIT", "501 5.5.4 Bad AUTH value")]
    [InlineData("FROM:<a@b> AUTH=", "501 5.5.4 Bad AUTH value")]
    public void Bad_values_are_refused(string argument, string reply) => Assert.Equal(reply, Fail(argument));

    [Fact]
    public void Envelope_id_is_limited_to_100_characters()
    {
        Assert.Equal(new string('e', 100), Parse("FROM:<a@b> ENVID=" + new string('e', 100)).EnvelopeId);
        Assert.Equal("501 5.5.4 Bad ENVID value", Fail("FROM:<a@b> ENVID=" + new string('e', 101)));
    }

    [Theory]
    [InlineData("FROM:<a@b> =1")]
    [InlineData("FROM:<a@b> -X")]
    [InlineData("FROM:<a@b> SI_ZE=1")]
    [InlineData("FROM:<a@b> SIZE=1=2")]
    [InlineData("FROM:<a@b> SIZE=1\u0001")]
    public void Malformed_parameters_are_a_syntax_error(string argument) =>
        Assert.Equal("501 5.5.4 Bad parameter syntax", Fail(argument));

    [Theory]
    [InlineData("")]
    [InlineData("<a@b>")]
    [InlineData("TO:<a@b>")]
    [InlineData("FROM<a@b>")]
    [InlineData(" FROM:<a@b>")]
    public void Missing_from_prefix_is_a_syntax_error(string argument) =>
        Assert.Equal("501 5.5.4 Syntax: MAIL FROM:<address> [parameters]", Fail(argument));

    [Theory]
    [InlineData("FROM:a@b", "address must be enclosed in <>")]
    [InlineData("FROM:  <a@b>", "address must be enclosed in <>")]
    [InlineData("FROM:<a@b", "missing closing '>'")]
    [InlineData("FROM:<a@b>SIZE=1", "unexpected text after address")]
    [InlineData("FROM:<a@b>>", "unexpected text after address")]
    [InlineData("FROM:<postmaster>", "missing domain")]
    public void Path_errors_use_the_sender_code(string argument, string reason) =>
        Assert.Equal("501 5.1.7 Bad sender address syntax: " + reason, Fail(argument));
}
