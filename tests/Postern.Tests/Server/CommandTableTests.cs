using Postern.Core.Policy;
using Postern.Protocol.Commands;
using Postern.Server.Session;

namespace Postern.Tests.Server;

/// <summary>The command table is complete and its columns say what the dispatcher enforces.</summary>
public sealed class CommandTableTests
{
    [Fact]
    public void Every_known_verb_has_a_row()
    {
        var verbs = Enum.GetValues<SmtpVerb>().Where(v => v != SmtpVerb.Unknown);

        Assert.All(verbs, verb => Assert.True(CommandTable.Rules.ContainsKey(verb), verb + " has no row"));
    }

    [Theory]
    [InlineData(SmtpVerb.Mail)]
    [InlineData(SmtpVerb.Rcpt)]
    [InlineData(SmtpVerb.Data)]
    public void Transaction_commands_need_tls_and_auth_where_the_listener_requires_them(SmtpVerb verb)
    {
        var rule = CommandTable.Rules[verb];

        Assert.False(rule.BeforeTls);
        Assert.False(rule.BeforeAuth);
        Assert.Equal(CommandNeeds.Tls | CommandNeeds.Authentication, rule.Needs);
    }

    [Theory]
    [InlineData(SmtpVerb.Ehlo)]
    [InlineData(SmtpVerb.StartTls)]
    [InlineData(SmtpVerb.Auth)]
    [InlineData(SmtpVerb.Noop)]
    [InlineData(SmtpVerb.Quit)]
    public void Commands_that_lead_to_tls_or_auth_are_allowed_before_them_and_end_a_group(SmtpVerb verb)
    {
        var rule = CommandTable.Rules[verb];

        Assert.True(rule.BeforeTls);
        Assert.True(rule.BeforeAuth);
        Assert.True(rule.EndsGroup);
        Assert.Equal(CommandNeeds.None, rule.Needs);
    }

    [Theory]
    [InlineData(SmtpVerb.Mail)]
    [InlineData(SmtpVerb.Rcpt)]
    [InlineData(SmtpVerb.Rset)]
    [InlineData(SmtpVerb.Bdat)]
    public void Pipelinable_commands_do_not_end_a_group(SmtpVerb verb)
    {
        Assert.False(CommandTable.Rules[verb].EndsGroup);
    }
}
