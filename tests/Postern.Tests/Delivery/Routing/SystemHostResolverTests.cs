using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Routing;

public sealed class SystemHostResolverTests
{
    private static readonly DnsResolverOptions Options = new() { QueryTimeout = TimeSpan.FromSeconds(5), Retries = 2 };

    [Fact]
    public async Task Localhost_resolves_from_the_hosts_file_ipv4_first()
    {
        var resolver = new SystemHostResolver(Options, TimeProvider.System);

        var destination = await resolver.ResolveHostAsync("LocalHost.", 2526, CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.Ok, destination.Status);
        var host = Assert.Single(destination.Hosts);
        Assert.Equal(("localhost", 2526), (host.Name, host.Port));
        Assert.Equal(IPAddress.Loopback, host.Addresses[0]);
    }

    [Fact]
    public async Task Addresses_come_ipv4_first_unless_ipv6_is_preferred_without_duplicates()
    {
        IPAddress[] answer = [IPAddress.Parse("2001:db8::1"), IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.1")];

        var v4First = await Resolver(Options, (_, _) => Task.FromResult(answer)).ResolveHostAsync("relay.internal", 25, CancellationToken.None);
        var v6First = await Resolver(Options with { PreferIPv6 = true }, (_, _) => Task.FromResult(answer)).ResolveHostAsync("relay.internal", 25, CancellationToken.None);

        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")], Assert.Single(v4First.Hosts).Addresses);
        Assert.Equal([IPAddress.Parse("2001:db8::1"), IPAddress.Parse("192.0.2.1")], Assert.Single(v6First.Hosts).Addresses);
    }

    [Theory]
    [InlineData(SocketError.HostNotFound, RelayDestinationStatus.PermanentFailure)]
    [InlineData(SocketError.NoData, RelayDestinationStatus.PermanentFailure)]
    [InlineData(SocketError.TryAgain, RelayDestinationStatus.TemporaryFailure)]
    public async Task An_unknown_name_fails_for_good_and_a_failed_lookup_for_now(SocketError error, RelayDestinationStatus expected)
    {
        var resolver = Resolver(Options, (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)error)));

        var destination = await resolver.ResolveHostAsync("relay.internal", 587, CancellationToken.None);

        Assert.Equal(expected, destination.Status);
        Assert.Contains("relay.internal", destination.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lookup_that_never_answers_fails_for_now_at_the_deadline()
    {
        var clock = new FakeTimeProvider();
        var never = new TaskCompletionSource<IPAddress[]>();
        var resolver = Resolver(Options, (_, _) => never.Task, clock);

        var pending = resolver.ResolveHostAsync("relay.internal", 587, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(14));
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var destination = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RelayDestinationStatus.TemporaryFailure, destination.Status);
        Assert.Equal("address lookup for relay.internal took longer than 15 s", destination.Problem);
    }

    private static SystemHostResolver Resolver(DnsResolverOptions options, Func<string, CancellationToken, Task<IPAddress[]>> lookup, TimeProvider? clock = null) =>
        new(options, clock ?? TimeProvider.System, lookup);
}
