using System.Net;

namespace Postern.Tests.Config;

public sealed class ListenerProxyConfigurationTests
{
    private const string Listener = "[[listener]]\nname = \"mx\"\naddress = \"127.0.0.1:25\"\nrole = \"mta\"\n";

    [Fact]
    public void Proxy_keys_bind_to_the_listener()
    {
        var result = ConfigTestInputs.Load(Listener + "proxy_protocol = true\nproxy_trusted = [\"10.0.0.5/32\", \"2001:db8::/64\"]\nproxy_timeout = \"3s\"\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var proxy = Assert.Single(result.Configuration.Server.Listeners).Proxy!;
        Assert.Equal([IPNetwork.Parse("10.0.0.5/32"), IPNetwork.Parse("2001:db8::/64")], proxy.Trusted);
        Assert.Equal(TimeSpan.FromSeconds(3), proxy.Timeout);
        Assert.True(proxy.Trusts(IPAddress.Parse("10.0.0.5")));
        Assert.True(proxy.Trusts(IPAddress.Parse("::ffff:10.0.0.5")));
        Assert.False(proxy.Trusts(IPAddress.Parse("10.0.0.6")));
    }

    [Fact]
    public void Without_proxy_protocol_the_listener_takes_direct_connections()
    {
        var result = ConfigTestInputs.Load(Listener);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Null(Assert.Single(result.Configuration.Server.Listeners).Proxy);
    }

    [Fact]
    public void The_timeout_defaults_to_five_seconds()
    {
        var result = ConfigTestInputs.Load(Listener + "proxy_protocol = true\nproxy_trusted = [\"127.0.0.1/32\"]\n");

        Assert.Equal(TimeSpan.FromSeconds(5), Assert.Single(result.Configuration!.Server.Listeners).Proxy!.Timeout);
    }

    [Theory]
    [InlineData("proxy_protocol = true\n", "listener[1].proxy_protocol", 5, "needs proxy_trusted: the networks your proxies connect from (e.g. [\"10.0.0.5/32\"]); without it any client could claim any address")]
    [InlineData("proxy_protocol = true\nproxy_trusted = []\n", "listener[1].proxy_trusted", 6, "must list at least one network (e.g. [\"10.0.0.5/32\"])")]
    [InlineData("proxy_protocol = true\nproxy_trusted = [\"10.0.0.5\"]\n", "listener[1].proxy_trusted", 6, "must be networks in CIDR notation (\"192.0.2.0/24\", \"2001:db8::/32\", \"192.0.2.7/32\"), got \"10.0.0.5\"")]
    [InlineData("proxy_trusted = [\"10.0.0.5/32\"]\n", "listener[1].proxy_trusted", 5, "applies only with proxy_protocol = true on this listener")]
    [InlineData("proxy_protocol = false\nproxy_timeout = \"2s\"\n", "listener[1].proxy_timeout", 6, "applies only with proxy_protocol = true on this listener")]
    [InlineData("proxy_protocol = \"yes\"\n", "listener[1].proxy_protocol", 5, "must be true or false, got \"yes\"")]
    [InlineData("proxy_protocol = true\nproxy_trusted = [\"10.0.0.5/32\"]\nproxy_timeout = \"2h\"\n", "listener[1].proxy_timeout", 7, "must be a duration (\"30s\", \"5m\", \"1h\", \"2d\" or an integer of seconds) from 1s to 1m, got \"2h\"")]
    public void Mistakes_are_errors_at_their_key(string lines, string key, int line, string message)
    {
        var result = ConfigTestInputs.Load(Listener + lines);

        var error = Assert.Single(result.Errors);
        Assert.Equal((key, line, message), (error.Key, error.Line, error.Message));
    }

    [Fact]
    public void Config_show_writes_the_proxy_keys_back()
    {
        var result = ConfigTestInputs.Load(Listener + "proxy_protocol = true\nproxy_trusted = [\"10.0.0.0/8\"]\nproxy_timeout = \"2s\"\n");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var shown = Postern.Config.ConfigurationWriter.Write(result.Configuration!, "/data/users");

        Assert.Contains("proxy_protocol = true\nproxy_trusted = [\"10.0.0.0/8\"]\nproxy_timeout = \"2s\"\n", shown, StringComparison.Ordinal);
        var again = ConfigTestInputs.Load(shown, ConfigTestInputs.AllPathsExist());
        Assert.True(again.Succeeded, string.Join("\n", again.Errors));
        Assert.Equal(result.Configuration.Server.Listeners[0].Proxy!.Trusted, again.Configuration.Server.Listeners[0].Proxy!.Trusted);
    }

    [Fact]
    public void A_listener_without_proxy_is_shown_with_proxy_protocol_false()
    {
        var result = ConfigTestInputs.Load(Listener);

        Assert.Contains("proxy_protocol = false\n", Postern.Config.ConfigurationWriter.Write(result.Configuration!, "/data/users"), StringComparison.Ordinal);
    }
}
