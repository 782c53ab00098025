using Postern.Core.Queueing;
using Postern.Tools.Sendmail;

namespace Postern.Tests.Tools.Sendmail;

public sealed class SendmailArgumentParserTests
{
    private static SendmailOptions Parse(params string[] args) => ParseAs("sendmail", args);

    private static SendmailOptions ParseAs(string personality, params string[] args)
    {
        var result = SendmailArgumentParser.Parse(personality, args);
        Assert.True(result.Error is null, result.Error);
        return result.Options!;
    }

    private static string Error(params string[] args)
    {
        var result = SendmailArgumentParser.Parse("sendmail", args);
        Assert.Null(result.Options);
        return result.Error!;
    }

    [Fact]
    public void Mail_client_command_lines_parse()
    {
        var options = Parse("-oi", "-t", "-f", "alice@example.org", "-F", "Alice Example", "bob@example.net");

        Assert.Equal(SendmailMode.Submit, options.Mode);
        Assert.True(options.IgnoreDots);
        Assert.True(options.ExtractRecipients);
        Assert.Equal("alice@example.org", options.Sender);
        Assert.Equal("Alice Example", options.FullName);
        Assert.Equal(["bob@example.net"], options.Arguments);
    }

    [Fact]
    public void Values_may_be_attached()
    {
        var options = Parse("-falice@example.org", "-FAlice", "-C/etc/postern.toml", "-B8BITMIME", "-Nsuccess,delay", "-Rhdrs", "-Venv42");

        Assert.Equal("alice@example.org", options.Sender);
        Assert.Equal("Alice", options.FullName);
        Assert.Equal("/etc/postern.toml", options.ConfigPath);
        Assert.Equal(BodyType.EightBitMime, options.Body);
        Assert.Equal(DsnNotify.Success | DsnNotify.Delay, options.Notify);
        Assert.Equal(DsnReturn.Headers, options.Return);
        Assert.Equal("env42", options.EnvelopeId);
    }

    [Fact]
    public void Options_stop_at_the_first_recipient_and_at_double_dash()
    {
        Assert.Equal(["bob", "-t"], Parse("-i", "bob", "-t").Arguments);
        Assert.False(Parse("-i", "bob", "-t").ExtractRecipients);
        Assert.Equal(["-weird"], Parse("--", "-weird").Arguments);
    }

    [Theory]
    [InlineData("-bs", "SmtpSession")]
    [InlineData("-bp", "ListQueue")]
    [InlineData("-bv", "Verify")]
    [InlineData("-bt", "AddressTest")]
    [InlineData("-bd", "Daemon")]
    [InlineData("-bD", "Daemon")]
    [InlineData("-bi", "NewAliases")]
    [InlineData("-I", "NewAliases")]
    [InlineData("-bm", "Submit")]
    [InlineData("-q", "ProcessQueue")]
    public void Modes(string option, string mode) => Assert.Equal(Enum.Parse<SendmailMode>(mode), Parse(option).Mode);

    [Fact]
    public void Personalities_choose_the_default_mode()
    {
        Assert.Equal(SendmailMode.ListQueue, ParseAs("mailq").Mode);
        Assert.Equal(SendmailMode.NewAliases, ParseAs("newaliases").Mode);
        Assert.Equal(SendmailMode.Submit, ParseAs("sendmail").Mode);
    }

    [Fact]
    public void Queue_runs()
    {
        Assert.Equal("example.org", Parse("-qRexample.org").QueueDomain);
        Assert.Equal("example.org", Parse("-qR", "example.org").QueueDomain);
        // The init-script form: the interval has no meaning for Postern's own scheduler.
        var daemon = Parse("-bd", "-q15m");
        Assert.Equal(SendmailMode.Daemon, daemon.Mode);
        Assert.Contains("-q15m", daemon.Ignored);
        Assert.Contains("-qI", Error("-qIabc"), StringComparison.Ordinal);
    }

    [Fact]
    public void Debug_zero_shows_the_version()
    {
        var options = Parse("-d0.1", "-bv");
        Assert.True(options.ShowVersion);
        Assert.Equal(SendmailMode.Verify, options.Mode);
        Assert.False(Parse("-d8.20").ShowVersion);
    }

    [Theory]
    [InlineData("-oi")]
    [InlineData("-om")]
    [InlineData("-oem")]
    [InlineData("-oee")]
    [InlineData("-odb")]
    [InlineData("-odi")]
    [InlineData("-oL9")]
    [InlineData("-n")]
    [InlineData("-U")]
    [InlineData("-G")]
    [InlineData("-m")]
    [InlineData("-v")]
    [InlineData("-i")]
    public void Harmless_options_are_accepted(string option) => Assert.True(SendmailArgumentParser.Parse("sendmail", [option]).Error is null);

    [Fact]
    public void Queue_only_delivery_mode_is_remembered()
    {
        Assert.True(Parse("-odq").QueueOnly);
        Assert.True(Parse("-O", "DeliveryMode=q").QueueOnly);
        Assert.False(Parse("-odb").QueueOnly);
    }

    [Theory]
    [InlineData("-Q")]
    [InlineData("-bh")]
    [InlineData("-X")]
    [InlineData("-tx")]
    [InlineData("-oQ/var/spool")]
    [InlineData("-Bweird")]
    [InlineData("-Nsometimes")]
    [InlineData("-Rall")]
    [InlineData("-O", "Timeout.queuereturn=1d")]
    [InlineData("--frobnicate")]
    public void Unknown_or_bad_options_are_refused(params string[] args) => Assert.NotEmpty(Error(args));

    [Fact]
    public void A_missing_value_is_refused()
    {
        Assert.Equal("option requires an argument -- 'f'", Error("-f"));
        Assert.Equal("unknown option -Q", Error("-Q"));
    }

    [Fact]
    public void Postern_long_options()
    {
        var options = Parse("--config", "/x/postern.toml", "--data-dir=/x/data", "bob");
        Assert.Equal("/x/postern.toml", options.ConfigPath);
        Assert.Equal("/x/data", options.DataDirectory);
        Assert.Equal(["bob"], options.Arguments);
    }

    [Theory]
    [InlineData("/usr/sbin/sendmail", "sendmail")]
    [InlineData("mailq", "mailq")]
    [InlineData("/usr/bin/newaliases", "newaliases")]
    [InlineData("/usr/local/bin/postern", null)]
    [InlineData("sendmail.postfix", null)]
    public void Personality_from_argv0(string argv0, string? expected) => Assert.Equal(expected, Personality.FromName(argv0));
}
