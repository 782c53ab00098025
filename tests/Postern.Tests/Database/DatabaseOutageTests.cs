using System.Diagnostics;
using Postern.Core.Maps;

namespace Postern.Tests.Database;

/// <summary>The database stopped and started again under a running PostgresMaps (its own server: the tests stop it).</summary>
public sealed class DatabaseOutageTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_stopped_database_is_unavailable_at_once_even_for_cached_keys_and_answers_again_when_back()
    {
        database.Execute("INSERT INTO access (key, value) VALUES ('Connect:198.51.100.1', 'REJECT')");
        await using var maps = PostgresFixture.Maps(database.Options() with { CacheTtl = TimeSpan.FromHours(1), Timeout = TimeSpan.FromSeconds(2) });
        maps.Start();
        Assert.True(await PostgresFixture.Eventually(() => maps.IsListening, TimeSpan.FromSeconds(10)));
        var table = maps.Table("access");
        Assert.Equal("REJECT", (await table.FindAsync(["Connect:198.51.100.1"], CancellationToken.None))["Connect:198.51.100.1"]);
        Assert.Empty(await table.FindAsync(["Connect:198.51.100.2"], CancellationToken.None));

        await database.Server.StopAsync();

        // The listener's connection drops with the server: the cache goes, and nothing answers "not found".
        Assert.True(await PostgresFixture.Eventually(() => !maps.IsListening, TimeSpan.FromSeconds(2)));
        Assert.Equal(0, maps.Cache.Count);
        var clock = Stopwatch.StartNew();
        var cached = await Assert.ThrowsAsync<LookupTableUnavailableException>(async () => await table.FindAsync(["Connect:198.51.100.1"], CancellationToken.None));
        await Assert.ThrowsAsync<LookupTableUnavailableException>(async () => await table.FindAsync(["Connect:198.51.100.2"], CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal("pgsql:access", cached.Table);
        Assert.DoesNotContain("Host=", cached.Message, StringComparison.OrdinalIgnoreCase);

        await database.Server.StartAsync();

        var lastSeen = "nothing yet";
        var answered = await PostgresFixture.Eventually(async () =>
        {
            try
            {
                var found = await table.FindAsync(["Connect:198.51.100.1"], CancellationToken.None);
                lastSeen = found.TryGetValue("Connect:198.51.100.1", out var value) ? "value " + value : "not found";
                return value == "REJECT";
            }
            catch (LookupTableUnavailableException e)
            {
                lastSeen = e.Message;
                return false;
            }
        }, TimeSpan.FromSeconds(60));
        Assert.True(answered, $"the restarted server's last answer: {lastSeen}; its log:\n{database.Server.Log()}");
        // The listener retries with a backoff of at most 5 s; a loaded machine gets a generous bound.
        Assert.True(await PostgresFixture.Eventually(() => maps.IsListening, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_unavailable()
    {
        var options = new Postern.Database.DatabaseOptions("Host=127.0.0.1;Port=1;Database=postern;Username=postern") { Timeout = TimeSpan.FromSeconds(1) };
        await using var maps = PostgresFixture.Maps(options);
        maps.Start();

        var e = await Assert.ThrowsAsync<LookupTableUnavailableException>(async () => await maps.Users("users").FindAsync("alice", CancellationToken.None));

        Assert.Equal("pgsql:users", e.Table);
        Assert.False(maps.IsListening);
    }
}
