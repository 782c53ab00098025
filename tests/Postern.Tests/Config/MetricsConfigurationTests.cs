using System.Net;
using Postern.Config;

namespace Postern.Tests.Config;

public sealed class MetricsConfigurationTests
{
    private const string Listener = "[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\nrole = \"mta\"\n";

    [Fact]
    public void Metrics_are_off_without_the_section_and_in_the_embedded_default()
    {
        var plain = ConfigTestInputs.Load(Listener);
        var embedded = ConfigurationLoader.LoadFromText(ConfigurationLoader.ReadEmbeddedDefault(), ConfigurationLoader.EmbeddedDefaultSource, ConfigTestInputs.Create());

        Assert.True(plain.Succeeded, string.Join("\n", plain.Errors));
        Assert.True(embedded.Succeeded, string.Join("\n", embedded.Errors));
        Assert.False(plain.Configuration.Metrics.Enabled);
        Assert.False(embedded.Configuration.Metrics.Enabled);
    }

    [Fact]
    public void An_empty_section_leaves_metrics_off()
    {
        var result = ConfigTestInputs.Load(Listener + "[metrics]\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Null(result.Configuration.Metrics.Listen);
    }

    [Theory]
    [InlineData("127.0.0.1:9025", "127.0.0.1:9025")]
    [InlineData("127.0.0.1:0", "127.0.0.1:0")]
    [InlineData("*:9025", "0.0.0.0:9025")]
    [InlineData("[::1]:9025", "[::1]:9025")]
    [InlineData("192.0.2.10:9100", "192.0.2.10:9100")]
    public void Listen_takes_any_address_in_listener_syntax(string text, string expected)
    {
        var result = ConfigTestInputs.Load(Listener + "[metrics]\nlisten = \"" + text + "\"\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.Configuration.Metrics.Enabled);
        Assert.Equal(IPEndPoint.Parse(expected), result.Configuration.Metrics.Listen);
    }

    [Theory]
    [InlineData("\"localhost:9025\"", "must be IPv4:port")]
    [InlineData("\"127.0.0.1\"", "must be IPv4:port")]
    [InlineData("\"127.0.0.1:70000\"", "must be IPv4:port")]
    [InlineData("9025", "must be a string")]
    public void A_bad_listen_value_is_an_error_on_its_line(string value, string message)
    {
        var result = ConfigTestInputs.Load(Listener + "[metrics]\nlisten = " + value + "\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("metrics.listen", 6), (error.Key, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_an_error()
    {
        var result = ConfigTestInputs.Load(Listener + "[metrics]\nlisten = \"127.0.0.1:9025\"\npath = \"/stats\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("metrics.path", 7), (error.Key, error.Line));
    }
}
