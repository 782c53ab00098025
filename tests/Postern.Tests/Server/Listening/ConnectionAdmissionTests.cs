using System.Net;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Policy;
using Postern.Server.Listening;
using Postern.Server.Session;

namespace Postern.Tests.Server.Listening;

/// <summary>Who gets a session: the server's slots, per-address and access-map limits, stress.</summary>
public sealed class ConnectionAdmissionTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void ClientRate_refuses_connections_over_the_rate_until_the_minute_is_over()
    {
        var clock = new FakeTimeProvider();
        var limits = new FixedClientLimits(ConnectionsPerMinute: new ClientLimit(2, "ClientRate: 2 at access:1"));
        var admission = new ConnectionAdmission(DialogHarness.DefaultOptions(), limits, clock);

        Assert.Null(admission.Admit(Client));
        Assert.Null(admission.Admit(Client));
        var refused = admission.Admit(Client);
        Assert.Equal(Replies.ConnectionRateExceeded, refused?.Reply);
        Assert.Equal("421 4.3.2 Connection rate limit exceeded.", refused?.Reply.ToWireString().TrimEnd());
        Assert.Equal("connection rate 3 per minute exceeds 2 (ClientRate: 2 at access:1)", refused?.Reason);
        // Another client has its own count.
        Assert.Null(admission.Admit(IPAddress.Parse("192.0.2.8")));

        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(admission.Admit(Client));
    }

    [Fact]
    public void ClientConn_takes_the_place_of_the_per_address_limit()
    {
        var options = DialogHarness.DefaultOptions() with { MaxConnectionsPerIp = 5 };
        var tight = new ConnectionAdmission(options, new FixedClientLimits(Connections: new ClientLimit(1, "ClientConn:192.0.2 1 at access:2")), TimeProvider.System);
        Assert.Null(tight.Admit(Client));
        var refused = tight.Admit(Client);
        Assert.Equal("421 4.3.2 Too many open connections.", refused?.Reply.ToWireString().TrimEnd());
        Assert.Equal("more than 1 open connections (ClientConn:192.0.2 1 at access:2)", refused?.Reason);
        tight.Release(Client);
        Assert.Null(tight.Admit(Client));

        // 0: no per-client limit for this client (sendmail's ClientConn:127.0.0.1 0).
        var open = new ConnectionAdmission(options, new FixedClientLimits(Connections: new ClientLimit(0, "ClientConn:127.0.0.1 0 at access:3")), TimeProvider.System);
        for (var i = 0; i < 8; i++)
        {
            Assert.Null(open.Admit(Client));
        }
    }

    [Fact]
    public void Without_access_map_limits_max_connections_per_ip_applies()
    {
        var admission = new ConnectionAdmission(DialogHarness.DefaultOptions() with { MaxConnectionsPerIp = 2 }, null, TimeProvider.System);
        Assert.Null(admission.Admit(Client));
        Assert.Null(admission.Admit(Client));
        Assert.Equal(("421 4.7.0 Too many connections, try again later", "too many connections from this address"),
            admission.Admit(Client) is { } refused ? (refused.Reply.ToWireString().TrimEnd(), refused.Reason) : default);
    }

    [Fact]
    public void Stress_starts_at_80_percent_of_the_slots_ends_below_70_and_is_told_once_each_way()
    {
        var changes = new List<(bool, int)>();
        var options = DialogHarness.DefaultOptions() with { MaxConnections = 10, MaxConnectionsPerIp = 10 };
        var admission = new ConnectionAdmission(options, null, TimeProvider.System, (stress, inUse) => changes.Add((stress, inUse)));
        for (var i = 0; i < 7; i++)
        {
            Assert.Null(admission.Admit(Client));
        }
        Assert.False(admission.UnderStress);
        Assert.Null(admission.Admit(Client));
        Assert.True(admission.UnderStress);
        admission.Release(Client);
        Assert.True(admission.UnderStress);
        Assert.Null(admission.Admit(Client));
        admission.Release(Client);
        admission.Release(Client);
        Assert.False(admission.UnderStress);
        Assert.Equal([(true, 8), (false, 6)], changes);
    }
    [Fact]
    public async Task Limits_in_a_table_that_cannot_answer_refuse_the_connection_with_421_4_3_0()
    {
        var admission = new ConnectionAdmission(DialogHarness.DefaultOptions(), new UnreadableLimits(), TimeProvider.System);

        var refused = await admission.AdmitAsync(Client, CancellationToken.None);

        Assert.Equal("421 4.3.0 Temporary lookup failure", refused?.Reply.ToWireString().TrimEnd());
        Assert.Equal("connection limits unknown: pgsql:access: connection refused", refused?.Reason);
    }

    private sealed class UnreadableLimits : IClientLimits
    {
        public ClientLimits Lookup(IPAddress address) => throw new InvalidOperationException("the server asks LookupAsync");

        public ValueTask<ClientLimits> LookupAsync(IPAddress address, CancellationToken cancellationToken) =>
            throw new Postern.Core.Maps.LookupTableUnavailableException("pgsql:access", "connection refused");
    }
}
