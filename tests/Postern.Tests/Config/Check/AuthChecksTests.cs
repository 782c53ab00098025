using Postern.Config;
using Postern.Config.Check;
using Postern.Core.Auth;
using Postern.Policy.Users;
using Postern.Tests.Delivery;

namespace Postern.Tests.Config.Check;

public sealed class AuthChecksTests
{
    [Fact]
    public void Default_auth_has_no_warnings()
    {
        using var directory = new TempDirectory();
        Assert.Empty(AuthChecks.Run(Configuration(directory.Path, ""), TextWriter.Null)!);
    }

    [Fact]
    public void Password_equivalent_mechanisms_and_cleartext_plain_are_flagged()
    {
        using var directory = new TempDirectory();
        var warnings = AuthChecks.Run(Configuration(directory.Path,
            "[auth]\nmechanisms = [\"CRAM-MD5\", \"PLAIN\", \"EXTERNAL\"]\nplaintext_requires_tls = false\n"), TextWriter.Null)!;

        Assert.Contains(warnings, w => w.Contains("CRAM-MD5", StringComparison.Ordinal) && w.Contains("password-equivalent", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("clear text", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("EXTERNAL is trusted", StringComparison.Ordinal));
    }

    [Fact]
    public void Unused_password_equivalents_in_the_users_file_are_flagged()
    {
        using var directory = new TempDirectory();
        UserFile.Write(directory.Combine("users"), [new UserRecord("alice") { PasswordEquivalent = "c2VjcmV0" }]);

        var warnings = AuthChecks.Run(Configuration(directory.Path, ""), TextWriter.Null)!;

        Assert.Contains(warnings, w => w.Contains("no offered mechanism uses", StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_users_file_is_an_error_with_its_line()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.Combine("users"), "alice password=not-a-hash\n");
        var errors = new StringWriter();

        Assert.Null(AuthChecks.Run(Configuration(directory.Path, ""), errors));
        Assert.Contains(directory.Combine("users") + ":1", errors.ToString(), StringComparison.Ordinal);
    }

    private static PosternConfiguration Configuration(string dataDirectory, string text)
    {
        var result = ConfigurationLoader.LoadFromText(
            "[server]\ndata_dir = \"" + dataDirectory + "\"\n" + text
            + "\n[[listener]]\nname = \"mta\"\naddress = \"127.0.0.1:2525\"\nrole = \"mta\"\n", "postern.toml", ConfigTestInputs.Create());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration;
    }
}
