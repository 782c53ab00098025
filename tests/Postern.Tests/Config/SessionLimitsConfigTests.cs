using System.Net;
using Postern.Config;
using Postern.Server.Options;

namespace Postern.Tests.Config;

/// <summary>limits.recipient_overshoot_limit, limits.bare_newline and limits.bare_newline_exclusions.</summary>
public sealed class SessionLimitsConfigTests
{
    private static PosternConfiguration Load(string text)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + text);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration;
    }

    [Fact]
    public void Defaults_follow_postfix_normalize_overshoot_1000_and_exclusions_from_relay_networks()
    {
        var server = Load("[policy]\nrelay_networks = [\"192.0.2.0/24\"]\n").Server;

        Assert.Equal(1000, server.RecipientOvershootLimit);
        Assert.Equal(BareNewlineMode.Normalize, server.BareNewline);
        Assert.Equal([IPNetwork.Parse("192.0.2.0/24")], server.BareNewlineExclusions);
    }

    [Fact]
    public void Explicit_values_bind_and_an_empty_exclusion_list_excludes_no_one()
    {
        var server = Load("""
            [limits]
            recipient_overshoot_limit = 0
            bare_newline = "reject"
            bare_newline_exclusions = []

            [policy]
            relay_networks = ["192.0.2.0/24"]
            """).Server;

        Assert.Equal((0, BareNewlineMode.Reject), (server.RecipientOvershootLimit, server.BareNewline));
        Assert.Empty(server.BareNewlineExclusions);
    }

    [Fact]
    public void Config_show_writes_the_keys_and_loads_back_the_same()
    {
        var configuration = Load("""
            [limits]
            recipient_overshoot_limit = 50
            bare_newline = "reject"
            bare_newline_exclusions = ["127.0.0.0/8", "::1/128"]
            """);

        var text = ConfigurationWriter.Write(configuration, "/data/users");

        Assert.Contains("recipient_overshoot_limit = 50\nbare_newline = \"reject\"\nbare_newline_exclusions = [\"127.0.0.0/8\", \"::1/128\"]\n", text, StringComparison.Ordinal);
        var again = ConfigTestInputs.Load(text).Configuration!.Server;
        Assert.Equal(configuration.Server.BareNewlineExclusions, again.BareNewlineExclusions);
        Assert.Equal((50, BareNewlineMode.Reject), (again.RecipientOvershootLimit, again.BareNewline));
    }
}
