namespace Postern.Tests.Config.Lint;

/// <summary>`postern config check` on certificate identities the sender login map cannot match.</summary>
public sealed class SenderLoginLintTests
{
    private const string Access = "CERTISSUER:/C=US/O=Second+20Org/CN=Second+20CA\tSUBJECT\nCERTSUBJECT:/C=US/O=Second+20Org/CN=Bob\tRELAY\n";

    private const string Settings = "[policy]\naccess_map = \"access\"\n\n[auth]\nmechanisms = [\"SCRAM-SHA-256\", \"EXTERNAL\"]\nsender_login_map = \"logins\"\n";

    [Fact]
    public void A_DN_cut_at_its_space_is_flagged_from_both_sides()
    {
        using var run = new ConfigCheckRun();
        run.WriteFile("access", Access);
        var logins = run.WriteFile("logins", "bob@example.org /C=US/O=Second Org/CN=Bob\n");

        var (exit, _, errors) = run.Check(Settings);

        Assert.Equal(0, exit);
        Assert.Contains($"warning: auth: {run.Combine("access")}:2: CERTSUBJECT:/C=US/O=Second+20Org/CN=Bob authenticates (AUTH EXTERNAL) as \"/C=US/O=Second Org/CN=Bob\", which owns no sender in {logins}", errors, StringComparison.Ordinal);
        Assert.Contains($"warning: auth: {logins}: bob@example.org: owner \"/C=US/O=Second\" is no certificate identity", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bob@example.org \"/C=US/O=Second Org/CN=Bob\"\n")]
    [InlineData("bob@example.org /C=US/O=Second+20Org/CN=Bob\n")]
    public void A_quoted_or_encoded_DN_matches_and_draws_no_warning(string logins)
    {
        using var run = new ConfigCheckRun();
        run.WriteFile("access", Access);
        run.WriteFile("logins", logins);

        var (exit, _, errors) = run.Check(Settings);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("owns no sender", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("is no certificate identity", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_with_a_bound_certificate_who_owns_no_sender_is_flagged()
    {
        using var run = new ConfigCheckRun();
        run.WriteFile("access", "");
        run.WriteFile("logins", "alice@example.org alice\n");
        Postern.Policy.Users.UserFile.Write(run.Combine("users"),
        [
            new Postern.Core.Auth.UserRecord("alice") { CertificateFingerprints = [new string('a', 64)] },
            new Postern.Core.Auth.UserRecord("carol") { CertificateFingerprints = [new string('c', 64)] },
        ]);

        var (exit, _, errors) = run.Check(Settings);

        Assert.Equal(0, exit);
        Assert.Contains("warning: auth: user carol has a bound certificate (AUTH EXTERNAL) but owns no sender in", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("user alice", errors, StringComparison.Ordinal);
    }
}
