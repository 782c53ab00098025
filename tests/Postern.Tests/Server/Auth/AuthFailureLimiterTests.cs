using System.Net;
using Microsoft.Extensions.Time.Testing;
using Postern.Server.Auth;
using Postern.Server.Options;

namespace Postern.Tests.Server.Auth;

public sealed class AuthFailureLimiterTests
{
    private static readonly AuthOptions Limits = new() { MaxFailures = 3, FailureWindow = TimeSpan.FromMinutes(10), BlockDuration = TimeSpan.FromMinutes(5) };
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void Failures_older_than_the_window_no_longer_count()
    {
        var clock = new FakeTimeProvider();
        var limiter = new AuthFailureLimiter(Limits, clock);
        Assert.Equal(AuthLimitScope.None, limiter.RecordFailure(Client, null));
        Assert.Equal(AuthLimitScope.None, limiter.RecordFailure(Client, null));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(AuthLimitScope.None, limiter.RecordFailure(Client, null));
        Assert.Equal(AuthLimitScope.None, limiter.RecordFailure(Client, null));
        Assert.Equal(AuthLimitScope.Client, limiter.RecordFailure(Client, null));
        Assert.True(limiter.IsBlocked(Client));
        Assert.False(limiter.IsBlocked(IPAddress.Parse("192.0.2.8")));
    }

    [Fact]
    public void Blocks_end_and_double_when_they_come_back()
    {
        var clock = new FakeTimeProvider();
        var limiter = new AuthFailureLimiter(Limits, clock);
        for (var i = 0; i < 3; i++)
        {
            limiter.RecordFailure(Client, null);
        }
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(5), limiter.BlockedUntil(Client));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(limiter.IsBlocked(Client));
        for (var i = 0; i < 3; i++)
        {
            limiter.RecordFailure(Client, null);
        }
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(10), limiter.BlockedUntil(Client));
    }

    [Fact]
    public void A_user_name_is_limited_across_clients()
    {
        var limiter = new AuthFailureLimiter(Limits, new FakeTimeProvider());
        Assert.Equal(AuthLimitScope.None, limiter.RecordFailure(IPAddress.Parse("192.0.2.1"), "alice"));
        Assert.Equal(AuthLimitScope.None, limiter.RecordFailure(IPAddress.Parse("198.51.100.1"), "ALICE"));
        Assert.Equal(AuthLimitScope.User, limiter.RecordFailure(IPAddress.Parse("203.0.113.1"), "alice"));
        Assert.True(limiter.IsUserBlocked("Alice"));
        Assert.False(limiter.IsUserBlocked("bob"));
        Assert.False(limiter.IsBlocked(IPAddress.Parse("203.0.113.1")));
    }

    [Fact]
    public void Ipv6_clients_are_counted_per_64()
    {
        var limiter = new AuthFailureLimiter(Limits, new FakeTimeProvider());
        limiter.RecordFailure(IPAddress.Parse("2001:db8:1:2::1"), null);
        limiter.RecordFailure(IPAddress.Parse("2001:db8:1:2::2"), null);
        Assert.Equal(AuthLimitScope.Client, limiter.RecordFailure(IPAddress.Parse("2001:db8:1:2:ffff::3"), null));
        Assert.True(limiter.IsBlocked(IPAddress.Parse("2001:db8:1:2::99")));
        Assert.False(limiter.IsBlocked(IPAddress.Parse("2001:db8:1:3::1")));
    }
}
