using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Policy;

namespace Postern.Tests.Policy;

public sealed class RelayPolicyTests
{
    private static readonly RelayPolicyOptions Configured = new()
    {
        RelayNetworks = [IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8::/32")],
        RelayDomains = ["example.net", ".sub.example.com"],
    };

    private static async Task<PolicyDecision> CheckAsync(string client, string recipient, RelayPolicyOptions? options = null, LocalRecipientStatus status = LocalRecipientStatus.Known)
    {
        var policy = new RelayPolicy(() => new LocalDomain("example.org", status), options ?? Configured);
        var session = new SessionFacts(new IPEndPoint(IPAddress.Parse(client), 40000), new IPEndPoint(IPAddress.Loopback, 25), "mta", ListenerRole.Mta);
        var at = recipient.LastIndexOf('@');
        return await policy.CheckRecipientAsync(session, null, new Mailbox(recipient[..at], recipient[(at + 1)..]), CancellationToken.None);
    }

    [Fact]
    public async Task Known_local_recipient_is_accepted_from_anyone()
    {
        var decision = await CheckAsync("203.0.113.9", "alice@EXAMPLE.org");

        Assert.True(decision.IsAccepted);
        Assert.Equal("permit_local_domains: local recipient", decision.Reason);
    }

    [Fact]
    public async Task Unknown_local_recipient_is_550_5_1_1_even_from_a_relay_network()
    {
        var decision = await CheckAsync("192.0.2.10", "nobody@example.org", status: LocalRecipientStatus.Unknown);

        Assert.Equal("550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown", decision.Reply?.ToString());
    }

    [Fact]
    public async Task Failed_local_lookup_is_temporary()
    {
        var decision = await CheckAsync("203.0.113.9", "alice@example.org", status: LocalRecipientStatus.TemporaryFailure);

        Assert.Equal(451, decision.Reply?.Code);
    }

    [Theory]
    [InlineData("bob@example.net", "permit_relay_domains: relay domain example.net (relay_domains example.net)")]
    [InlineData("bob@Example.NET", "permit_relay_domains: relay domain Example.NET (relay_domains example.net)")]
    [InlineData("bob@a.sub.example.com", "permit_relay_domains: relay domain a.sub.example.com (relay_domains .sub.example.com)")]
    [InlineData("bob@x.y.sub.example.com", "permit_relay_domains: relay domain x.y.sub.example.com (relay_domains .sub.example.com)")]
    public async Task Relay_domains_are_accepted_from_anyone(string recipient, string reason)
    {
        var decision = await CheckAsync("203.0.113.9", recipient);

        Assert.True(decision.IsAccepted, decision.Reason);
        Assert.Equal(reason, decision.Reason);
    }

    [Theory]
    [InlineData("bob@mail.example.net")] // example.net is exact only
    [InlineData("bob@sub.example.com")] // .sub.example.com is subdomains only
    [InlineData("bob@notexample.net")]
    public async Task Relay_domains_match_as_written(string recipient)
    {
        var decision = await CheckAsync("203.0.113.9", recipient);

        Assert.Equal("550 5.7.1", decision.Reply?.ToString()[..9]);
    }

    [Theory]
    [InlineData("192.0.2.10", "permit_relay_networks: client in relay network 192.0.2.0/24")]
    [InlineData("::ffff:192.0.2.10", "permit_relay_networks: client in relay network 192.0.2.0/24")]
    [InlineData("2001:db8:1::5", "permit_relay_networks: client in relay network 2001:db8::/32")]
    public async Task Clients_in_relay_networks_may_relay_anywhere(string client, string reason)
    {
        var decision = await CheckAsync(client, "someone@gmail.test");

        Assert.True(decision.IsAccepted);
        Assert.Equal(reason, decision.Reason);
    }

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("192.0.3.1")]
    [InlineData("2001:db9::1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Anyone_else_is_denied(string client)
    {
        var decision = await CheckAsync(client, "someone@gmail.test");

        Assert.Equal("550 5.7.1 <someone@gmail.test>: Relaying denied", decision.Reply?.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task Loopback_is_not_trusted_by_default(string client)
    {
        var decision = await CheckAsync(client, "someone@gmail.test", new RelayPolicyOptions());

        Assert.False(decision.IsAccepted);
        Assert.Equal("550 5.7.1 <someone@gmail.test>: Relaying denied", decision.Reply?.ToString());
    }

    [Fact]
    public async Task Loopback_relays_when_listed()
    {
        var decision = await CheckAsync("::ffff:127.0.0.1", "someone@gmail.test", new RelayPolicyOptions { RelayNetworks = [IPNetwork.Parse("127.0.0.0/8")] });

        Assert.True(decision.IsAccepted);
    }

    [Theory]
    [InlineData("someone@[198.51.100.1]")]
    [InlineData("someone@[IPv6:2001:db8::1]")]
    [InlineData("someone%gmail.test@example.net")]
    [InlineData("gmail.test!someone@example.net")]
    [InlineData("someone%gmail.test@elsewhere.test")]
    public async Task Address_literals_and_percent_or_bang_routing_never_relay_even_from_a_relay_network(string recipient)
    {
        var decision = await CheckAsync("192.0.2.10", recipient);

        Assert.False(decision.IsAccepted);
        Assert.Equal("550 5.7.1", decision.Reply?.ToString()[..9]);
    }

    [Fact]
    public async Task Percent_in_a_local_recipient_is_only_looked_up_never_routed()
    {
        var decision = await CheckAsync("203.0.113.9", "someone%gmail.test@example.org", status: LocalRecipientStatus.Unknown);

        Assert.Equal("550 5.1.1", decision.Reply?.ToString()[..9]);
    }
}
