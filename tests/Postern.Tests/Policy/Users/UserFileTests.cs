using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Auth;
using Postern.Policy.Users;
using Postern.Tests.Delivery;

namespace Postern.Tests.Policy.Users;

public sealed class UserFileTests : IDisposable
{
    private const string Fingerprint = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static UserRecord Alice() => new("alice")
    {
        PasswordHash = PasswordHash.Create("correct horse", 1000),
        ScramSha1 = ScramCredentials.Derive("correct horse", HashAlgorithmName.SHA1, iterations: 1000),
        ScramSha256 = ScramCredentials.Derive("correct horse", HashAlgorithmName.SHA256, iterations: 1000),
        PasswordEquivalent = "correct horse",
        CertificateFingerprints = [Fingerprint],
    };

    [Fact]
    public void Round_trip_keeps_every_credential()
    {
        var path = _directory.Combine("users");
        var alice = Alice();
        UserFile.Write(path, [alice, new UserRecord("bob") { Disabled = true }]);
        var read = UserFile.Read(path);
        Assert.Equal(2, read.Count);
        var back = read[0];
        Assert.Equal(alice.PasswordHash, back.PasswordHash);
        Assert.Equal(alice.ScramSha1!.Salt, back.ScramSha1!.Salt);
        Assert.Equal(alice.ScramSha1.StoredKey, back.ScramSha1.StoredKey);
        Assert.Equal(alice.ScramSha256!.ServerKey, back.ScramSha256!.ServerKey);
        Assert.Equal(alice.ScramSha256.Iterations, back.ScramSha256.Iterations);
        Assert.Equal("correct horse", back.PasswordEquivalent);
        Assert.Equal([Fingerprint], back.CertificateFingerprints);
        Assert.True(read[1].Disabled);
        Assert.True(PasswordHash.Verify("correct horse", back.PasswordHash!));
    }

    [Fact]
    public void The_file_is_mode_0600_and_never_holds_the_plaintext()
    {
        var path = _directory.Combine("users");
        UserFile.Write(path, [Alice()]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.DoesNotContain("correct horse", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory.Path, ".users.tmp-*"));
        UserFile.Write(path, []);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_missing_file_has_no_users()
    {
        Assert.Empty(UserFile.Read(_directory.Combine("none")));
    }

    [Theory]
    [InlineData("alice password=plaintext", 2, "alice: password has an invalid value")]
    [InlineData("alice colour=blue", 2, "unknown field colour")]
    [InlineData("alice scram-sha-256=4096:c2FsdA==:AAAA:AAAA", 2, "scram-sha-256 has an invalid value")]
    [InlineData("alice cert=XYZ", 2, "cert has an invalid value")]
    [InlineData("alice disabled disabled", 2, "disabled appears twice")]
    [InlineData("alice\nALICE", 3, "user ALICE appears twice")]
    [InlineData("alice password-equivalent=!!", 2, "password-equivalent has an invalid value")]
    public void Parse_errors_name_the_file_and_line_but_not_the_value(string body, int line, string message)
    {
        var error = Assert.Throws<UserFileException>(() => UserFile.Parse("# users\n" + body + "\n", "/etc/postern/users"));
        var problem = Assert.Single(error.Errors);
        Assert.StartsWith($"/etc/postern/users:{line}: ", problem, StringComparison.Ordinal);
        Assert.Contains(message, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("plaintext", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_blank_lines_and_crlf_are_accepted()
    {
        var users = UserFile.Parse("# c\r\n\r\n  # indented\r\nalice disabled\r\n", "users");
        Assert.True(Assert.Single(users).Disabled);
    }

    [Fact]
    public async Task The_store_finds_users_case_insensitively_and_by_certificate()
    {
        var path = _directory.Combine("users");
        UserFile.Write(path, [Alice(), new UserRecord("carol") { CertificateFingerprints = [new string('f', 64)], Disabled = true }]);
        var store = new UserStore(path, NullLogger<UserStore>.Instance);
        Assert.Equal("alice", (await store.FindAsync("ALICE", CancellationToken.None))!.Name);
        Assert.Null(await store.FindAsync("nobody", CancellationToken.None));
        Assert.Equal("alice", (await store.FindByCertificateAsync(Fingerprint.ToUpperInvariant(), CancellationToken.None))!.Name);
        Assert.Null(await store.FindByCertificateAsync(new string('f', 64), CancellationToken.None));
    }

    [Fact]
    public async Task The_store_reloads_when_the_file_changes_and_keeps_the_last_good_users_on_errors()
    {
        var path = _directory.Combine("users");
        var store = new UserStore(path, NullLogger<UserStore>.Instance);
        Assert.Null(await store.FindAsync("alice", CancellationToken.None));
        UserFile.Write(path, [Alice()]);
        Assert.NotNull(await store.FindAsync("alice", CancellationToken.None));

        File.WriteAllText(path, "alice colour=blue\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.NotNull(await store.FindAsync("alice", CancellationToken.None));

        UserFile.Write(path, [new UserRecord("bob")]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(2));
        Assert.Null(await store.FindAsync("alice", CancellationToken.None));
        Assert.NotNull(await store.FindAsync("bob", CancellationToken.None));
    }

    [Fact]
    public async Task A_store_that_never_loaded_throws_so_auth_fails_temporarily()
    {
        var path = _directory.WriteFile("users", "alice colour=blue\n");
        var store = new UserStore(path, NullLogger<UserStore>.Instance);
        var error = await Assert.ThrowsAsync<UserFileException>(async () => await store.FindAsync("alice", CancellationToken.None));
        Assert.Contains(":1: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_secret_is_created_once_with_mode_0600()
    {
        var path = _directory.Combine("secret");
        var first = ServerSecretFile.LoadOrCreate(path);
        Assert.Equal(32, first.Length);
        Assert.Equal(first, ServerSecretFile.LoadOrCreate(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<IOException>(() => ServerSecretFile.LoadOrCreate(path));
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("alice@example.org", true)]
    [InlineData("Jörg", true)]
    [InlineData("", false)]
    [InlineData("#alice", false)]
    [InlineData("al ice", false)]
    [InlineData("al\tice", false)]
    [InlineData("al\u0000ice", false)]
    [InlineData("a\u00A0b", false)]
    public void User_names(string name, bool valid)
    {
        Assert.Equal(valid, UserNames.IsValid(name));
    }
}
