using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Maps;
using Postern.Database;

namespace Postern.Tests.Database;

public sealed class PgsqlLookupTableTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_lookup_gives_the_values_of_the_keys_the_table_holds()
    {
        database.Execute("INSERT INTO access (key, value) VALUES ('Connect:192.0.2.1', 'REJECT'), ('From:spam.example', 'DISCARD')");
        await using var maps = PostgresFixture.Maps(database.Options());

        var found = await maps.Table("access").FindAsync(["Connect:192.0.2.1", "From:spam.example", "To:nowhere.example"], CancellationToken.None);

        Assert.Equal(2, found.Count);
        Assert.Equal("REJECT", found["Connect:192.0.2.1"]);
        Assert.Equal("DISCARD", found["From:spam.example"]);
        Assert.Equal("pgsql:access", maps.Table("access").Name);
    }

    [Fact]
    public async Task Keys_are_compared_exactly()
    {
        database.Execute("INSERT INTO aliases (key, value) VALUES ('postmaster', 'root')");
        await using var maps = PostgresFixture.Maps(database.Options());

        var found = await maps.Table("aliases").FindAsync(["Postmaster", "postmaster "], CancellationToken.None);

        Assert.Empty(found);
    }

    [Fact]
    public async Task Answers_found_and_not_found_are_cached_until_the_ttl_on_the_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        database.Execute("INSERT INTO access (key, value) VALUES ('Connect:192.0.2.10', 'OK')");
        await using var maps = PostgresFixture.Maps(database.Options() with { CacheTtl = TimeSpan.FromSeconds(60) }, time);
        maps.Start();
        Assert.True(await PostgresFixture.Eventually(() => maps.IsListening, TimeSpan.FromSeconds(10)));
        var table = maps.Table("access");

        Assert.Equal("OK", (await table.FindAsync(["Connect:192.0.2.10"], CancellationToken.None))["Connect:192.0.2.10"]);
        Assert.Empty(await table.FindAsync(["Connect:192.0.2.11"], CancellationToken.None));
        // Changed behind the cache's back (no notification): the cached answers stand until the TTL.
        database.ExecuteSilently("UPDATE access SET value = 'REJECT' WHERE key = 'Connect:192.0.2.10'");
        database.ExecuteSilently("INSERT INTO access (key, value) VALUES ('Connect:192.0.2.11', 'REJECT')");
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("OK", (await table.FindAsync(["Connect:192.0.2.10"], CancellationToken.None))["Connect:192.0.2.10"]);
        Assert.Empty(await table.FindAsync(["Connect:192.0.2.11"], CancellationToken.None));

        time.Advance(Second);
        Assert.Equal("REJECT", (await table.FindAsync(["Connect:192.0.2.10"], CancellationToken.None))["Connect:192.0.2.10"]);
        Assert.Equal("REJECT", (await table.FindAsync(["Connect:192.0.2.11"], CancellationToken.None))["Connect:192.0.2.11"]);
    }

    [Fact]
    public async Task A_change_in_the_database_reaches_the_cache_within_a_second()
    {
        database.Execute("INSERT INTO access (key, value) VALUES ('Connect:192.0.2.20', 'OK')");
        await using var maps = PostgresFixture.Maps(database.Options() with { CacheTtl = TimeSpan.FromHours(1) });
        maps.Start();
        Assert.True(await PostgresFixture.Eventually(() => maps.IsListening, TimeSpan.FromSeconds(10)));
        var table = maps.Table("access");
        Assert.Equal("OK", (await table.FindAsync(["Connect:192.0.2.20"], CancellationToken.None))["Connect:192.0.2.20"]);
        Assert.Empty(await table.FindAsync(["Connect:192.0.2.21"], CancellationToken.None));
        Assert.True(maps.Cache.Count >= 2);

        var writer = new MapTableWriter(database.Admin, "access");
        var clock = Stopwatch.StartNew();
        writer.Put("Connect:192.0.2.20", "REJECT");
        writer.Put("Connect:192.0.2.21", "RELAY");

        Assert.True(await PostgresFixture.Eventually(
            async () => (await table.FindAsync(["Connect:192.0.2.20", "Connect:192.0.2.21"], CancellationToken.None)) is { } now
                && now.GetValueOrDefault("Connect:192.0.2.20") == "REJECT" && now.GetValueOrDefault("Connect:192.0.2.21") == "RELAY",
            Second));
        Assert.True(clock.Elapsed < Second, $"took {clock.Elapsed}");

        writer.Remove("Connect:192.0.2.21");
        Assert.True(await PostgresFixture.Eventually(
            async () => !(await table.FindAsync(["Connect:192.0.2.21"], CancellationToken.None)).ContainsKey("Connect:192.0.2.21"), Second));

        database.Execute("TRUNCATE aliases");
        database.Execute("INSERT INTO aliases (key, value) VALUES ('abuse', 'root')");
        Assert.True(await PostgresFixture.Eventually(
            async () => (await maps.Table("aliases").FindAsync(["abuse"], CancellationToken.None)).ContainsKey("abuse"), Second));
    }

    [Fact]
    public async Task A_missing_table_is_unavailable_not_empty()
    {
        await using var maps = PostgresFixture.Maps(database.Options());

        var e = await Assert.ThrowsAsync<LookupTableUnavailableException>(async () => await maps.Table("no_such_table").FindAsync(["x"], CancellationToken.None));

        Assert.Equal("pgsql:no_such_table", e.Table);
        Assert.Contains("42P01", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_slower_than_the_timeout_is_unavailable_on_time()
    {
        database.Execute("CREATE OR REPLACE VIEW slow_map AS SELECT 'k' || g AS key, 'v' AS value FROM generate_series(0, 9) g, pg_sleep(3)");
        await using var maps = PostgresFixture.Maps(database.Options() with { Timeout = TimeSpan.FromMilliseconds(500) });
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<LookupTableUnavailableException>(async () => await maps.Table("slow_map").FindAsync(["k1"], CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed}");
        Assert.Contains("no answer within 500ms", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pool_never_holds_more_than_max_connections()
    {
        database.Execute("CREATE OR REPLACE VIEW sleepy_map AS SELECT 'k' || g AS key, 'v' AS value FROM generate_series(0, 9) g, pg_sleep(0.3)");
        await using var maps = PostgresFixture.Maps(database.Options("postern-pool") with { MaxConnections = 2, Timeout = TimeSpan.FromSeconds(10) });
        var table = maps.Table("sleepy_map");
        var most = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                using var command = database.Admin.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'postern-pool'");
                most = Math.Max(most, (long)(await command.ExecuteScalarAsync())!);
                await Task.Delay(20);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => table.FindAsync([$"k{i}"], CancellationToken.None).AsTask()));
        await sampling.CancelAsync();
        await sampler;

        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task Lookups_waiting_longer_than_the_timeout_for_a_connection_are_unavailable()
    {
        database.Execute("CREATE OR REPLACE VIEW sleepier_map AS SELECT 'k' || g AS key, 'v' AS value FROM generate_series(0, 9) g, pg_sleep(0.7)");
        await using var maps = PostgresFixture.Maps(database.Options() with { MaxConnections = 1, Timeout = TimeSpan.FromSeconds(1) });
        var table = maps.Table("sleepier_map");

        var lookups = Enumerable.Range(0, 3).Select(i => table.FindAsync([$"k{i}"], CancellationToken.None).AsTask()).ToList();
        var outcomes = await Task.WhenAll(lookups.Select(async t =>
        {
            try
            {
                await t;
                return "answered";
            }
            catch (LookupTableUnavailableException)
            {
                return "unavailable";
            }
        }));

        // The first is answered; the others cannot get the one connection in time, and say so.
        Assert.Contains("answered", outcomes);
        Assert.Contains("unavailable", outcomes);
    }
}
