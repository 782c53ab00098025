using Postern.Config;

namespace Postern.Tests.Config;

public sealed class ListenerEtrnConfigurationTests
{
    [Theory]
    [InlineData("mta", "", true)]
    [InlineData("msa", "", false)]
    [InlineData("mta", "etrn = false\n", false)]
    [InlineData("msa", "etrn = true\n", true)]
    [InlineData("mta", "etrn = true\n", true)]
    public void Etrn_follows_the_role_unless_set(string role, string line, bool expected)
    {
        var result = ConfigTestInputs.Load("[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\nrole = \"" + role + "\"\n" + line);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(expected, Assert.Single(result.Configuration.Server.Listeners).Etrn);
    }

    [Fact]
    public void Embedded_default_offers_etrn_on_the_mta_listener_only()
    {
        var result = ConfigurationLoader.LoadFromText(ConfigurationLoader.ReadEmbeddedDefault(), ConfigurationLoader.EmbeddedDefaultSource, ConfigTestInputs.Create());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal([("mta", true), ("msa", false), ("smtps", false)], result.Configuration.Server.Listeners.Select(l => (l.Name, l.Etrn)));
    }

    [Fact]
    public void A_non_boolean_etrn_is_an_error_on_its_line()
    {
        var result = ConfigTestInputs.Load("[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\nrole = \"mta\"\netrn = \"no\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("listener[1].etrn", 5), (error.Key, error.Line));
        Assert.Equal("must be true or false, got \"no\"", error.Message);
    }
}
