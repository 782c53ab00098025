namespace Postern.Tests.Config.Lint;

/// <summary>`postern config check` on proxy listeners: proxies that could relay their own checks, and trust that is too wide.</summary>
public sealed class ProxyListenerLintTests
{
    private static string Listener(string trusted) =>
        $"\n[[listener]]\nname = \"mx\"\naddress = \"127.0.0.1:2525\"\nrole = \"mta\"\nproxy_protocol = true\nproxy_trusted = [\"{trusted}\"]\n";

    [Fact]
    public void A_proxy_inside_relay_networks_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var (exit, _, errors) = run.Check("[policy]\nrelay_networks = [\"10.0.0.0/8\"]\n" + Listener("10.0.0.10/32"), addListener: false);

        Assert.Equal(0, exit);
        Assert.Contains("warning: listener: listener \"mx\": proxy_trusted \"10.0.0.10/32\" overlaps policy.relay_networks \"10.0.0.0/8\": the proxy's health checks", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wide_public_proxy_range_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var (exit, _, errors) = run.Check(Listener("0.0.0.0/0"), addListener: false);

        Assert.Equal(0, exit);
        Assert.Contains("warning: listener: listener \"mx\": proxy_trusted lists \"0.0.0.0/0\", a wide range: any host in it can claim to be any client", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_proxy_outside_relay_networks_passes()
    {
        using var run = new ConfigCheckRun();
        var (exit, _, errors) = run.Check("[policy]\nrelay_networks = [\"192.168.0.0/16\"]\n" + Listener("10.0.0.10/32"), addListener: false);

        Assert.Equal(0, exit);
        Assert.Equal("", errors);
    }
}
