using Microsoft.Extensions.Time.Testing;
using Postern.Database;

namespace Postern.Tests.Database;

public sealed class LookupCacheTests
{
    private readonly FakeTimeProvider _time = new();

    private LookupCache Enabled(int capacity = 10, int ttlSeconds = 60)
    {
        var cache = new LookupCache(capacity, TimeSpan.FromSeconds(ttlSeconds), _time);
        cache.Enable();
        return cache;
    }

    [Fact]
    public void Found_and_not_found_answers_are_kept_until_the_ttl()
    {
        var cache = Enabled(ttlSeconds: 60);
        cache.Store(cache.Generation, "access", "a", "REJECT");
        cache.Store(cache.Generation, "access", "b", null);

        Assert.True(cache.TryGet("access", "a", out var a));
        Assert.Equal("REJECT", a);
        Assert.True(cache.TryGet("access", "b", out var b));
        Assert.Null(b);
        Assert.False(cache.TryGet("aliases", "a", out _));

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(cache.TryGet("access", "a", out _));
        Assert.False(cache.TryGet("access", "b", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_least_recently_used_answer_goes_first_and_the_size_is_bounded()
    {
        var cache = Enabled(capacity: 2);
        cache.Store(cache.Generation, "t", "1", "one");
        cache.Store(cache.Generation, "t", "2", "two");
        Assert.True(cache.TryGet("t", "1", out _));
        cache.Store(cache.Generation, "t", "3", "three");

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("t", "1", out _));
        Assert.False(cache.TryGet("t", "2", out _));
        Assert.True(cache.TryGet("t", "3", out _));
    }

    [Fact]
    public void An_answer_read_before_an_invalidation_is_not_kept()
    {
        var cache = Enabled();
        var generation = cache.Generation;
        cache.Invalidate("t", "other");
        cache.Store(generation, "t", "k", "stale");

        Assert.False(cache.TryGet("t", "k", out _));
    }

    [Fact]
    public void Invalidation_drops_the_key_or_the_table()
    {
        var cache = Enabled();
        cache.Store(cache.Generation, "t", "k", "v");
        cache.Store(cache.Generation, "t", "j", "w");
        cache.Store(cache.Generation, "u", "k", "x");

        cache.Invalidate("t", "k");
        Assert.False(cache.TryGet("t", "k", out _));
        Assert.True(cache.TryGet("t", "j", out _));

        cache.InvalidateTable("t");
        Assert.False(cache.TryGet("t", "j", out _));
        Assert.True(cache.TryGet("u", "k", out _));
    }

    [Fact]
    public void Nothing_is_kept_while_disabled_and_disabling_empties_it()
    {
        var cache = new LookupCache(10, TimeSpan.FromSeconds(60), _time);
        cache.Store(cache.Generation, "t", "k", "v");
        Assert.False(cache.TryGet("t", "k", out _));

        cache.Enable();
        cache.Store(cache.Generation, "t", "k", "v");
        Assert.True(cache.TryGet("t", "k", out _));

        cache.Disable();
        Assert.False(cache.IsEnabled);
        Assert.False(cache.TryGet("t", "k", out _));
    }

    [Fact]
    public void A_zero_size_or_ttl_keeps_nothing()
    {
        var none = Enabled(capacity: 0);
        none.Store(none.Generation, "t", "k", "v");
        var instant = Enabled(ttlSeconds: 0);
        instant.Store(instant.Generation, "t", "k", "v");

        Assert.Equal(0, none.Count);
        Assert.Equal(0, instant.Count);
    }
}
