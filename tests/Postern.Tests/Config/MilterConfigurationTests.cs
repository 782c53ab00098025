using Postern.Config;
using Postern.Core.Milters;

namespace Postern.Tests.Config;

/// <summary>[[milter]] entries, the lists that name them, their errors with lines, and config show's round trip.</summary>
public sealed class MilterConfigurationTests
{
    // Lines numbered as the errors report them.
    private const string Valid = """
        [server]
        milters = ["opendkim", "opendmarc"]
        local_milters = ["opendkim"]

        [[listener]]
        name = "mx"
        address = "127.0.0.1:25"
        role = "mta"

        [[listener]]
        name = "submission"
        address = "127.0.0.1:587"
        role = "msa"
        milters = ["spamass"]

        [[listener]]
        name = "internal"
        address = "127.0.0.1:2525"
        role = "mta"
        milters = []

        [[milter]]
        name = "opendkim"
        socket = "inet:8891@127.0.0.1"
        default_action = "accept"
        connect_timeout = "10s"
        command_timeout = "1m"
        eom_timeout = "5m"
        macros = { connect = ["j", "{daemon_name}"], eom = [] }

        [[milter]]
        name = "opendmarc"
        socket = "unix:/run/opendmarc/opendmarc.sock"

        [[milter]]
        name = "spamass"
        socket = "inet6:8893@[::1]"
        default_action = "reject"
        """;

    [Fact]
    public void Entries_and_lists_bind()
    {
        var result = ConfigTestInputs.Load(Valid);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var milters = result.Configuration.Milters;
        Assert.Equal(["opendkim", "opendmarc", "spamass"], milters.Definitions.Select(d => d.Name));
        var dkim = milters.Definitions[0];
        Assert.Equal(new MilterSocketAddress(MilterSocketKind.Inet, "127.0.0.1", 8891, ""), dkim.Socket);
        Assert.Equal(MilterFailureAction.Accept, dkim.DefaultAction);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)), (dkim.ConnectTimeout, dkim.CommandTimeout, dkim.EndOfMessageTimeout));
        Assert.Equal(["j", "{daemon_name}"], dkim.Macros[MilterMacroStage.Connect]);
        Assert.Empty(dkim.Macros[MilterMacroStage.EndOfMessage]);
        Assert.False(dkim.Macros.ContainsKey(MilterMacroStage.Helo));
        var dmarc = milters.Definitions[1];
        Assert.Equal(MilterFailureAction.TempFail, dmarc.DefaultAction);
        Assert.Equal(MilterDefinition.DefaultEndOfMessageTimeout, dmarc.EndOfMessageTimeout);
        Assert.Equal(MilterSocketKind.Unix, dmarc.Socket.Kind);
        Assert.Equal(MilterFailureAction.Reject, milters.Definitions[2].DefaultAction);
        Assert.Equal(["opendkim", "opendmarc"], milters.ServerMilters);
        Assert.Equal(["opendkim"], milters.ForLocalSubmissions().Select(d => d.Name));
    }

    [Fact]
    public void A_listener_list_replaces_the_server_list_and_an_empty_one_runs_none()
    {
        var configuration = ConfigTestInputs.Load(Valid).Configuration!;
        var milters = configuration.Milters;
        var listeners = configuration.Server.Listeners;

        Assert.Equal(["opendkim", "opendmarc"], milters.ForListener(listeners[0]).Select(d => d.Name));
        Assert.Equal(["spamass"], milters.ForListener(listeners[1]).Select(d => d.Name));
        Assert.Empty(milters.ForListener(listeners[2]));
    }

    [Fact]
    public void Without_milters_nothing_runs()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Configuration.Milters.Definitions);
        Assert.Empty(result.Configuration.Milters.ForListener(result.Configuration.Server.Listeners[0]));
        Assert.Empty(result.Configuration.Milters.ForLocalSubmissions());
    }

    [Theory]
    [InlineData("name = \"a\"\nsocket = \"inet:8891@localhost\"\n[[milter]]\nname = \"A\"\nsocket = \"inet:8892@localhost\"", "milter[2].name", 10, "duplicate milter name \"A\" (first used on line 7)")]
    [InlineData("name = \"a b\"\nsocket = \"inet:8891@localhost\"", "milter[1].name", 7, "must be 1 to 64 characters")]
    [InlineData("socket = \"inet:8891@localhost\"", "milter[1].name", 7, "is required")]
    [InlineData("name = \"a\"", "milter[1].socket", 7, "is required")]
    [InlineData("name = \"a\"\nsocket = \"tcp:8891@localhost\"", "milter[1].socket", 8, "must be inet:PORT@HOST, inet6:PORT@[HOST] or unix:/PATH (sendmail's S=): unknown socket family 'tcp'")]
    [InlineData("name = \"a\"\nsocket = \"inet:99999@localhost\"", "milter[1].socket", 8, "must be inet:PORT@HOST")]
    [InlineData("name = \"a\"\nsocket = \"unix:relative.sock\"", "milter[1].socket", 8, "must be inet:PORT@HOST")]
    [InlineData("name = \"a\"\nsocket = \"inet:1@h\"\ndefault_action = \"continue\"", "milter[1].default_action", 9, "must be one of \"tempfail\", \"accept\", \"reject\"")]
    [InlineData("name = \"a\"\nsocket = \"inet:1@h\"\nconnect_timeout = \"10x\"", "milter[1].connect_timeout", 9, "must be a duration")]
    [InlineData("name = \"a\"\nsocket = \"inet:1@h\"\ncommand_timeout = \"0s\"", "milter[1].command_timeout", 9, "must be a duration")]
    [InlineData("name = \"a\"\nsocket = \"inet:1@h\"\neom_timeout = \"2h\"", "milter[1].eom_timeout", 9, "must be a duration")]
    [InlineData("name = \"a\"\nsocket = \"inet:1@h\"\nmacros = { envfrom = [\"i\"] }", "milter[1].macros.envfrom", 9, "unknown key (did you mean \"mail\"?); allowed here: connect, data, eoh, eom, helo, mail, rcpt")]
    [InlineData("name = \"a\"\nsocket = \"inet:1@h\"\nmacros = { body = [\"i\"] }", "milter[1].macros.body", 9, "unknown key; allowed here: connect, data, eoh, eom, helo, mail, rcpt")]
    [InlineData("name = \"a\"\nsocket = \"inet:1@h\"\nmacros = { connect = [\"daemon name\"] }", "milter[1].macros.connect", 9, "must list macro names as sendmail writes them")]
    [InlineData("name = \"a\"\nsocket = \"inet:1@h\"\nflags = \"R\"", "milter[1].flags", 9, "unknown key")]
    public void Bad_entries_are_errors_with_key_and_line(string entry, string key, int line, string message)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[[milter]]\n" + entry + "\n");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((key, line), (error.Key, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[server]\nmilters = [\"opendkim\", \"spamd\"]\n", "server.milters", 2, "names the undefined milter \"spamd\"; defined: opendkim")]
    [InlineData("[server]\nlocal_milters = [\"opendkm\"]\n", "server.local_milters", 2, "names the undefined milter \"opendkm\" (did you mean \"opendkim\"?); defined: opendkim")]
    [InlineData("[server]\nmilters = [\"opendkim\", \"opendkim\"]\n", "server.milters", 2, "lists \"opendkim\" twice")]
    [InlineData("[server]\nmilters = \"opendkim\"\n", "server.milters", 2, "must be an array of strings, got \"opendkim\"")]
    public void Server_lists_must_name_defined_milters(string server, string key, int line, string message)
    {
        var result = ConfigTestInputs.Load(server + """
            [[listener]]
            name = "mta"
            address = "127.0.0.1:25"
            role = "mta"
            [[milter]]
            name = "opendkim"
            socket = "inet:8891@localhost"
            """);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((key, line), (error.Key, error.Line));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_listener_list_naming_an_undefined_milter_is_an_error_at_its_item()
    {
        var result = ConfigTestInputs.Load("""
            [[listener]]
            name = "mta"
            address = "127.0.0.1:25"
            role = "mta"
            milters = [
              "opendkim",
              "clamav",
            ]
            [[milter]]
            name = "opendkim"
            socket = "inet:8891@localhost"
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("listener[1].milters", 7), (error.Key, error.Line));
        Assert.Equal("names the undefined milter \"clamav\"; defined: opendkim", error.Message);
    }

    [Fact]
    public void Config_show_writes_milters_back_to_the_same_configuration()
    {
        var inputs = ConfigTestInputs.AllPathsExist();
        var first = ConfigTestInputs.Load(Valid, inputs).Configuration!;
        var shown = ConfigurationWriter.Write(first, "/etc/postern/users");

        var again = ConfigTestInputs.Load(shown, inputs);

        Assert.True(again.Succeeded, string.Join("\n", again.Errors) + "\n" + shown);
        Assert.Equal(shown, ConfigurationWriter.Write(again.Configuration!, "/etc/postern/users"));
        Assert.Contains("milters = [\"opendkim\", \"opendmarc\"]\nlocal_milters = [\"opendkim\"]\n", shown, StringComparison.Ordinal);
        Assert.Contains("macros = { connect = [\"j\", \"{daemon_name}\"], eom = [] }", shown, StringComparison.Ordinal);
        var milters = again.Configuration!.Milters;
        Assert.Equal(first.Milters.Definitions.Select(Describe), milters.Definitions.Select(Describe));
        Assert.Equal(first.Server.Listeners.Select(l => l.Milters is null ? "server" : string.Join(",", l.Milters)), again.Configuration.Server.Listeners.Select(l => l.Milters is null ? "server" : string.Join(",", l.Milters)));
        Assert.Equal(["server", "spamass", ""], again.Configuration.Server.Listeners.Select(l => l.Milters is null ? "server" : string.Join(",", l.Milters)));
    }

    private static string Describe(MilterDefinition milter) =>
        $"{milter.Name} {milter.Socket} {milter.DefaultAction} {milter.ConnectTimeout} {milter.CommandTimeout} {milter.EndOfMessageTimeout} "
        + string.Join(";", milter.Macros.OrderBy(m => m.Key).Select(m => m.Key + "=" + string.Join(",", m.Value)));
}
