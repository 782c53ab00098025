using Postern.Config;

namespace Postern.Tests.Config.Lint;

/// <summary>`postern config check` loads the routes' client certificates and every relay credential file as `serve` would.</summary>
public sealed class RelayIdentityCheckTests
{
    private static string Route(string keys) =>
        "[[route]]\ndomain = \"partner.example\"\nvia = \"[192.0.2.25]:587\"\n" + keys + "\n";

    [Fact]
    public void A_good_route_identity_passes()
    {
        using var run = new ConfigCheckRun();
        PemFiles.Write(run.Combine("partner.pem"), run.Combine("partner.key"));
        WriteSecret(run, "partner.secret", "s3cret\n");
        WriteSecret(run, "sender-authinfo", "AuthInfo:@example.org \"U:relay\" \"P:x\"\n");

        var (exit, _, errors) = run.Check("[delivery]\nsender_auth_file = \"sender-authinfo\"\n\n"
            + Route("client_cert = \"partner.pem\"\nclient_key = \"partner.key\"\nauth_user = \"postern\"\nauth_password_file = \"partner.secret\""));

        Assert.True(exit == ExitCodes.Ok, errors);
    }

    [Fact]
    public void A_broken_route_certificate_is_reported_at_the_line_that_named_it()
    {
        using var run = new ConfigCheckRun();
        run.WriteFile("partner.pem", "not a certificate\n");

        var (exit, _, errors) = run.Check(Route("client_cert = \"partner.pem\""));

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains("route[1].client_cert", errors, StringComparison.Ordinal);
        Assert.Contains(run.Combine("partner.pem"), errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_file_others_can_read_is_refused()
    {
        using var run = new ConfigCheckRun();
        var secret = run.WriteFile("partner.secret", "s3cret\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var (exit, _, errors) = run.Check(Route("auth_user = \"postern\"\nauth_password_file = \"partner.secret\""));

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains($"{secret}: holds passwords but has mode 0604", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_entry_in_the_sender_auth_file_is_refused_with_its_line()
    {
        using var run = new ConfigCheckRun();
        var file = WriteSecret(run, "sender-authinfo", "# senders\nAuthInfo:relay.example.org \"U:u\" \"P:p\"\n");

        var (exit, _, errors) = run.Check("[delivery]\nsender_auth_file = \"sender-authinfo\"\n");

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains($"{file}:2: expected an address", errors, StringComparison.Ordinal);
    }

    private static string WriteSecret(ConfigCheckRun run, string name, string text)
    {
        var path = run.WriteFile(name, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
