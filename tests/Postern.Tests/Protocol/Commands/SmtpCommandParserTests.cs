using System.Text;
using Postern.Protocol.Commands;

namespace Postern.Tests.Protocol.Commands;

public sealed class SmtpCommandParserTests
{
    private static SmtpCommand Parse(string line) => SmtpCommandParser.Parse(Encoding.UTF8.GetBytes(line));

    [Theory]
    [InlineData("HELO", SmtpVerb.Helo)]
    [InlineData("ehlo", SmtpVerb.Ehlo)]
    [InlineData("Mail", SmtpVerb.Mail)]
    [InlineData("rCpT", SmtpVerb.Rcpt)]
    [InlineData("DATA", SmtpVerb.Data)]
    [InlineData("bdat", SmtpVerb.Bdat)]
    [InlineData("RSET", SmtpVerb.Rset)]
    [InlineData("noop", SmtpVerb.Noop)]
    [InlineData("QUIT", SmtpVerb.Quit)]
    [InlineData("VRFY", SmtpVerb.Vrfy)]
    [InlineData("EXPN", SmtpVerb.Expn)]
    [InlineData("HELP", SmtpVerb.Help)]
    [InlineData("StartTLS", SmtpVerb.StartTls)]
    [InlineData("AUTH", SmtpVerb.Auth)]
    [InlineData("etrn", SmtpVerb.Etrn)]
    [InlineData("XYZZY", SmtpVerb.Unknown)]
    [InlineData("MAILX", SmtpVerb.Unknown)]
    [InlineData("MAİL", SmtpVerb.Unknown)]
    [InlineData("", SmtpVerb.Unknown)]
    public void Verbs_are_recognised_without_case(string verb, SmtpVerb expected)
    {
        var command = Parse(verb);
        Assert.Equal(expected, command.Verb);
        Assert.Equal(verb, command.VerbText);
        Assert.Equal("", command.Argument);
        Assert.False(command.HasInvalidBytes);
    }

    [Fact]
    public void Mail_argument_is_everything_after_the_single_space()
    {
        var command = Parse("mail FROM:<a@b> SIZE=10");
        Assert.Equal(new SmtpCommand(SmtpVerb.Mail, "mail", "FROM:<a@b> SIZE=10"), command);
    }

    [Fact]
    public void Argument_keeps_inner_and_leading_spacing_but_loses_trailing_spaces()
    {
        Assert.Equal(" FROM:<a@b>  X", Parse("MAIL  FROM:<a@b>  X   ").Argument);
        Assert.Equal("", Parse("DATA ").Argument);
        Assert.Equal("x\t", Parse("NOOP x\t").Argument);
    }

    [Fact]
    public void Missing_argument_is_empty()
    {
        var command = Parse("EHLO");
        Assert.Equal(SmtpVerb.Ehlo, command.Verb);
        Assert.Equal("", command.Argument);
    }

    [Fact]
    public void Leading_space_means_no_verb()
    {
        var command = Parse(" QUIT");
        Assert.Equal(SmtpVerb.Unknown, command.Verb);
        Assert.Equal("", command.VerbText);
        Assert.Equal("QUIT", command.Argument);
    }

    [Fact]
    public void Utf8_argument_is_decoded()
    {
        var command = Parse("RCPT TO:<用户@例子.广告>");
        Assert.Equal("TO:<用户@例子.广告>", command.Argument);
        Assert.False(command.HasInvalidBytes);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0x00 })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, (byte)'a', 0x0D, (byte)'b' })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, (byte)'a', 0x0A })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0x1B })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0x7F })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0xC3 })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0xFF, 0xFE })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0xC0, 0xAF })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0xED, 0xA0, 0x80 })]
    // C1 controls in valid UTF-8 (U+0080, U+0085 NEL, U+009F), found by fuzzing: they passed as text.
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0xC2, 0x80 })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, (byte)'a', 0xC2, 0x85, (byte)'b' })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'O', (byte)'P', 0x20, 0xC2, 0x9F })]
    public void Nul_controls_and_invalid_utf8_are_flagged_but_the_verb_is_kept(byte[] line)
    {
        var command = SmtpCommandParser.Parse(line);
        Assert.True(command.HasInvalidBytes);
        Assert.Equal(SmtpVerb.Noop, command.Verb);
    }

    [Fact]
    public void Nul_inside_the_verb_is_flagged_and_the_verb_unknown()
    {
        var command = SmtpCommandParser.Parse("MA\0IL FROM:<>"u8);
        Assert.True(command.HasInvalidBytes);
        Assert.Equal(SmtpVerb.Unknown, command.Verb);
    }

    [Fact]
    public void Tab_is_allowed()
    {
        Assert.False(SmtpCommandParser.Parse("NOOP a\tb"u8).HasInvalidBytes);
    }
}
