namespace Postern.Tests.Config.Lint;

/// <summary>`config check` on [authentication_results]: set where no listener takes mail from other MTAs.</summary>
public sealed class AuthenticationResultsLintTests
{
    [Fact]
    public void The_mode_without_an_mta_listener_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var list = run.WriteFile("psl.dat", "org\n");
        var (exit, _, errors) = run.Check(
            "[[listener]]\nname = \"submission\"\naddress = \"127.0.0.1:2587\"\nrole = \"msa\"\n\n[authentication_results]\nmode = \"on\"\npublic_suffix_list = \"" + list + "\"\n",
            addListener: false);

        Assert.Equal(0, exit);
        Assert.Contains("warning: authentication results: authentication_results.mode is set but no listener has role = \"mta\"", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mode_with_an_mta_listener_is_not_flagged()
    {
        using var run = new ConfigCheckRun();
        var list = run.WriteFile("psl.dat", "org\n");
        var (exit, _, errors) = run.Check("[authentication_results]\nmode = \"enforce\"\npublic_suffix_list = \"" + list + "\"\n");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("authentication results", errors, StringComparison.Ordinal);
    }
}
