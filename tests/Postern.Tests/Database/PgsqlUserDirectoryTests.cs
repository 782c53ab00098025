using Postern.Core.Auth;
using Postern.Core.Maps;
using Postern.Database;

namespace Postern.Tests.Database;

public sealed class PgsqlUserDirectoryTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    private static readonly string Fingerprint = new('a', 64);
    private static readonly string OtherFingerprint = new('b', 64);

    private UserTable Users => new(database.Admin, "users");

    [Fact]
    public async Task Users_written_by_the_table_writer_are_found_by_name_in_any_case()
    {
        var hash = PasswordHash.Create("correct horse", iterations: 1000);
        Assert.Null(Users.Edit(users =>
        {
            users.Add(new UserRecord("Alice") { PasswordHash = hash });
            return null;
        }));
        await using var maps = PostgresFixture.Maps(database.Options());

        var alice = await maps.Users("users").FindAsync("ALICE", CancellationToken.None);

        Assert.NotNull(alice);
        Assert.Equal("alice", alice.Name);
        Assert.True(PasswordHash.Verify("correct horse", alice.PasswordHash!));
        Assert.Null(await maps.Users("users").FindAsync("bob", CancellationToken.None));
    }

    [Fact]
    public async Task A_bound_certificate_finds_its_enabled_user_only()
    {
        Users.Edit(users =>
        {
            users.Add(new UserRecord("carol") { CertificateFingerprints = [Fingerprint] });
            users.Add(new UserRecord("dave") { CertificateFingerprints = [OtherFingerprint], Disabled = true });
            return null;
        });
        await using var maps = PostgresFixture.Maps(database.Options());
        var directory = maps.Users("users");

        Assert.Equal("carol", (await directory.FindByCertificateAsync(Fingerprint.ToUpperInvariant(), CancellationToken.None))?.Name);
        Assert.Null(await directory.FindByCertificateAsync(OtherFingerprint, CancellationToken.None));
        Assert.Null(await directory.FindByCertificateAsync(new string('c', 64), CancellationToken.None));
    }

    [Fact]
    public async Task The_writer_changes_only_the_rows_that_changed_and_deletes_removed_users()
    {
        Users.Edit(users =>
        {
            users.Add(new UserRecord("erin"));
            users.Add(new UserRecord("frank"));
            return null;
        });
        database.Execute("UPDATE users SET updated = '2000-01-01' WHERE key IN ('erin', 'frank')");

        Users.Edit(users =>
        {
            users.RemoveAll(u => u.Name == "frank");
            var erin = users.FindIndex(u => u.Name == "erin");
            users[erin] = users[erin] with { Disabled = true };
            return null;
        });
        var refused = Users.Edit(users =>
        {
            users.Clear();
            return 65;
        });

        var all = Users.ReadAll();
        Assert.Equal(65, refused);
        Assert.True(all.Single(u => u.Name == "erin").Disabled);
        Assert.DoesNotContain(all, u => u.Name == "frank");
    }

    [Fact]
    public async Task A_row_that_does_not_parse_is_unavailable_not_unknown()
    {
        database.Execute("INSERT INTO users (key, value) VALUES ('mallory', 'colour=blue')");
        await using var maps = PostgresFixture.Maps(database.Options());

        var e = await Assert.ThrowsAsync<LookupTableUnavailableException>(async () => await maps.Users("users").FindAsync("mallory", CancellationToken.None));

        Assert.Contains("unknown field colour", e.Message, StringComparison.Ordinal);
        Assert.Throws<DatabaseCommandException>(() => Users.ReadAll());
        database.Execute("DELETE FROM users WHERE key = 'mallory'");
    }
}
