namespace Postern.Tests.Config.Lint;

/// <summary>`config check` on the access map's ClientRate:, ClientConn: and GreetPause: entries.</summary>
public sealed class ClientLimitLintTests
{
    [Fact]
    public void Limits_that_cannot_do_what_they_say_are_flagged()
    {
        using var run = new ConfigCheckRun();
        var map = run.WriteFile("access", "ClientConn:192.0.2.1\t9000\nGreetPause:\t15000\nClientRate:\t10\n");
        var (exit, _, errors) = run.Check("[limits]\nmax_connections = 100\nmax_connections_per_ip = 10\n\n[policy]\naccess_map = \"" + map + "\"\n");

        Assert.Equal(0, exit);
        Assert.Contains("warning: access map: " + map + ":1: ClientConn:192.0.2.1 9000 allows more connections than limits.max_connections (100), which applies first", errors, StringComparison.Ordinal);
        Assert.Contains("warning: access map: " + map + ":2: GreetPause: 15000 holds the greeting as long as limits.stress_timeout (10s) or longer", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("ClientRate", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_greet_pause_with_no_listener_to_apply_it_on_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var map = run.WriteFile("access", "GreetPause:\t3000\n");
        var (exit, _, errors) = run.Check(
            "[[listener]]\nname = \"smtps\"\naddress = \"127.0.0.1:2465\"\nrole = \"msa\"\ntls = \"implicit\"\n\n[policy]\naccess_map = \"" + map + "\"\n", addListener: false);

        Assert.Equal(0, exit);
        Assert.Contains("warning: access map: " + map + ":1: GreetPause: entries apply only on listeners where the client waits for the greeting", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_that_is_not_a_number_stops_the_check_with_file_and_line()
    {
        using var run = new ConfigCheckRun();
        var map = run.WriteFile("access", "Connect:127.0.0.1\tRELAY\nClientRate:10.1\tten\n");
        var (exit, _, errors) = run.Check("[policy]\naccess_map = \"" + map + "\"\n");

        Assert.Equal(78, exit);
        Assert.Contains(map + ":2: ClientRate: value must be a number of connections per minute", errors, StringComparison.Ordinal);
    }
}
