using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Cli;
using Postern.Config;
using Postern.Core.Auth;
using Postern.Pki.Certificates;
using Postern.Policy.Users;
using Postern.Tests.Delivery;
using Postern.Tools.Users;

namespace Postern.Tests.Tools.Users;

public sealed class UserActionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private string? _password = "correct horse";

    public void Dispose()
    {
        _directory.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    private string UsersFile => _directory.Combine("users");

    private UserCommandContext Context => new(UsersFile, _ => _password, _output, _error) { Iterations = 1000 };

    private UserRecord Read(string name) => UserFile.Read(UsersFile).Single(u => u.Name == name);

    [Fact]
    public void Add_stores_hash_and_scram_keys_but_no_secret_by_default()
    {
        Assert.Equal(ExitCodes.Ok, UserActions.Add(Context, "alice", passwordEquivalent: false));
        var alice = Read("alice");
        Assert.True(PasswordHash.Verify("correct horse", alice.PasswordHash!));
        Assert.NotNull(alice.ScramSha1);
        Assert.NotNull(alice.ScramSha256);
        Assert.Null(alice.PasswordEquivalent);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(UsersFile));
        Assert.DoesNotContain("correct horse", File.ReadAllText(UsersFile), StringComparison.Ordinal);
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public void Add_with_password_equivalent_warns()
    {
        Assert.Equal(ExitCodes.Ok, UserActions.Add(Context, "alice", passwordEquivalent: true));
        Assert.Equal("correct horse", Read("alice").PasswordEquivalent);
        Assert.Contains("warning", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Add_refuses_an_existing_user_in_any_case_and_bad_names_and_passwords()
    {
        UserActions.Add(Context, "alice", false);
        Assert.Equal(ExitCodes.DataError, UserActions.Add(Context, "ALICE", false));
        Assert.Equal(ExitCodes.Usage, UserActions.Add(Context, "al ice", false));
        _password = "";
        Assert.Equal(ExitCodes.DataError, UserActions.Add(Context, "bob", false));
        _password = null;
        Assert.Equal(ExitCodes.DataError, UserActions.Add(Context, "bob", false));
        Assert.Single(UserFile.Read(UsersFile));
    }

    [Fact]
    public void Passwd_changes_the_password_and_keeps_or_drops_the_equivalent()
    {
        UserActions.Add(Context, "alice", true);
        _password = "new one";
        Assert.Equal(ExitCodes.Ok, UserActions.Passwd(Context, "Alice", null));
        Assert.True(PasswordHash.Verify("new one", Read("alice").PasswordHash!));
        Assert.Equal("new one", Read("alice").PasswordEquivalent);
        Assert.Equal(ExitCodes.Ok, UserActions.Passwd(Context, "alice", false));
        Assert.Null(Read("alice").PasswordEquivalent);
        Assert.Equal(ExitCodes.NoUser, UserActions.Passwd(Context, "nobody", null));
    }

    [Fact]
    public void Delete_list_and_show()
    {
        UserActions.Add(Context, "alice", false);
        UserActions.Add(Context, "bob", true);
        Assert.Equal(ExitCodes.Ok, UserActions.Delete(Context, "alice"));
        Assert.Equal(ExitCodes.NoUser, UserActions.Delete(Context, "alice"));
        _output.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, UserActions.List(Context));
        Assert.Equal("bob\tpassword scram-sha-1 scram-sha-256 password-equivalent" + Environment.NewLine, _output.ToString());
        _output.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, UserActions.Show(Context, "bob"));
        var shown = _output.ToString();
        Assert.Contains("pbkdf2-sha256, 1000 iterations", shown, StringComparison.Ordinal);
        Assert.Contains("password-equivalent: stored", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("$pbkdf2", shown, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NoUser, UserActions.Show(Context, "alice"));
    }

    [Fact]
    public void Bind_and_unbind_certificates()
    {
        UserActions.Add(Context, "alice", false);
        UserActions.Add(Context, "bob", false);
        var (file, fingerprint) = WriteCertificate("client.pem");
        Assert.Equal(ExitCodes.Ok, UserActions.BindCertificate(Context, "alice", file));
        Assert.Equal([fingerprint], Read("alice").CertificateFingerprints);
        Assert.Equal(ExitCodes.Ok, UserActions.BindCertificate(Context, "alice", file));
        Assert.Single(Read("alice").CertificateFingerprints);
        Assert.Equal(ExitCodes.DataError, UserActions.BindCertificate(Context, "bob", file));
        Assert.Equal(ExitCodes.DataError, UserActions.BindCertificate(Context, "bob", _directory.WriteFile("junk.pem", "junk")));
        _output.GetStringBuilder().Clear();
        UserActions.Show(Context, "alice");
        Assert.Contains("sha256:" + fingerprint, _output.ToString(), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, UserActions.UnbindCertificate(Context, "alice", "sha256:" + fingerprint.ToUpperInvariant()));
        Assert.Empty(Read("alice").CertificateFingerprints);
        Assert.Equal(ExitCodes.NoUser, UserActions.UnbindCertificate(Context, "alice", file));
        UserActions.BindCertificate(Context, "alice", file);
        Assert.Equal(ExitCodes.Ok, UserActions.UnbindCertificate(Context, "alice", null));
        Assert.Empty(Read("alice").CertificateFingerprints);
    }

    [Fact]
    public void A_broken_users_file_is_reported_with_its_line_and_left_alone()
    {
        File.WriteAllText(UsersFile, "# users\nalice colour=blue\n");
        Assert.Equal(ExitCodes.DataError, UserActions.Add(Context, "bob", false));
        Assert.Contains(UsersFile + ":2: ", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal("# users\nalice colour=blue\n", File.ReadAllText(UsersFile));
    }

    [Fact]
    public void The_password_is_one_line_of_stdin()
    {
        using var input = new StringReader("pass word\r\nsecond line\n");
        Assert.Equal("pass word", PasswordInput.ReadLine(input, _error));
        using var empty = new StringReader("");
        Assert.Null(PasswordInput.ReadLine(empty, _error));
    }

    [Fact]
    public void The_default_users_file_is_in_the_data_directory()
    {
        Assert.Equal(Path.Combine("/var/lib/postern", "users"), UsersFilePath.Resolve(null, "/var/lib/postern"));
        Assert.Equal("/etc/postern/users", UsersFilePath.Resolve("/etc/postern/users", "/var/lib/postern"));
    }

    private (string File, string Fingerprint) WriteCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=alice", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = _directory.WriteFile(name, certificate.ExportCertificatePem());
        return (path, CertificateFingerprint.Sha256(certificate).ToLowerInvariant());
    }
}
