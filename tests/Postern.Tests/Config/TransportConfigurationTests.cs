using Postern.Config;

namespace Postern.Tests.Config;

/// <summary><c>[local] transport</c> and <c>[virtual] transport</c>: LMTP destinations checked at their line, written back by config show.</summary>
public sealed class TransportConfigurationTests
{
    private const string Database = "[database]\nconnection = \"Host=127.0.0.1;Database=postern\"\n";

    [Theory]
    [InlineData("[local]\ntransport = \"lmtp:unix:run/lmtp\"\n", "local.transport", "absolute path")]
    [InlineData("[local]\ntransport = \"smtp:[127.0.0.1]:25\"\n", "local.transport", "must be an LMTP destination")]
    [InlineData("[local]\ntransport = \"lmtp:[127.0.0.1]:99999\"\n", "local.transport", "port from 1 to 65535")]
    [InlineData(Database + "[virtual]\ndomains = [\"virt.test\"]\nmailboxes = \"pgsql:virtual_mailboxes\"\ntransport = \"lmtp:[::1:24\"\n", "virtual.transport", "without its ']'")]
    public void A_bad_transport_is_an_error_at_its_line(string appended, string key, string expected)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + appended);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(key, error.Key);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        var expectedLine = 6 + appended.Split('\n').TakeWhile(l => !l.StartsWith("transport", StringComparison.Ordinal)).Count();
        Assert.Equal(expectedLine, error.Line);
    }

    [Fact]
    public void Good_transports_are_kept_as_configured_and_written_back()
    {
        var text = ConfigTestInputs.OneListener
            + "[local]\ntransport = \"lmtp:unix:/run/dovecot/lmtp\"\n"
            + Database
            + "[virtual]\ndomains = [\"virt.test\"]\nmailboxes = \"pgsql:virtual_mailboxes\"\ntransport = \"lmtp:[127.0.0.1]:24\"\n";

        var result = ConfigTestInputs.Load(text);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.ToString())));
        var configuration = result.Configuration!;
        Assert.Equal("lmtp:unix:/run/dovecot/lmtp", configuration.Local.Transport);
        Assert.Equal("lmtp:[127.0.0.1]:24", configuration.Virtual.Transport);
        var shown = ConfigurationWriter.Write(configuration, "/etc/postern/users");
        Assert.Contains("transport = \"lmtp:unix:/run/dovecot/lmtp\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("[virtual]\ndomains = [\"virt.test\"]\nmailboxes = \"pgsql:virtual_mailboxes\"\ntransport = \"lmtp:[127.0.0.1]:24\"\n", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_transport_local_users_keep_their_Maildirs()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[local]\nusers = [\"alice\"]\n");

        Assert.True(result.Succeeded);
        Assert.Null(result.Configuration!.Local.Transport);
        Assert.DoesNotContain("\ntransport = ", ConfigurationWriter.Write(result.Configuration, "/etc/postern/users"), StringComparison.Ordinal);
    }
}
