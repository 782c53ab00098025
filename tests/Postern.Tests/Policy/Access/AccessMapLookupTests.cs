using System.Net;
using Postern.Core.Addressing;
using Postern.Policy.Access;

namespace Postern.Tests.Policy.Access;

public sealed class AccessMapLookupTests
{
    private const string Text = """
        Connect:192.168.1	RELAY
        192.168	REJECT
        Connect:192.168.1.7	DISCARD
        10	OK
        Connect:IPv6:2001:db8	RELAY
        Connect:IPv6:2001:db8:0:0:0:0:0:9	REJECT
        IPv6:2001:DB8:0:1	SKIP
        Connect:example.com	RELAY
        host.example.com	REJECT
        spammer.example.com	ERROR:"550 5.7.1 go away"
        From:alice@example.org	OK
        From:example.org	REJECT
        From:<>	DISCARD
        bob@	RELAY
        To:postmaster@	OK
        To:sub.example.net	RELAY
        example.net	REJECT
        From:USER@[192.0.2.1]	OK
        """;

    private static readonly AccessMap Map = AccessMapParser.Parse(Text, "access");

    [Theory]
    [InlineData("192.168.1.7", 3)]
    [InlineData("192.168.1.8", 1)]
    [InlineData("192.168.2.1", 2)]
    [InlineData("10.9.9.9", 4)]
    [InlineData("::ffff:192.168.1.7", 3)]
    [InlineData("2001:db8::9", 6)]
    [InlineData("2001:db8::8", 5)]
    [InlineData("2001:db8:0:1::5", 7)]
    [InlineData("2001:db9::1", 0)]
    [InlineData("172.16.0.1", 0)]
    public void Connect_address_most_specific_prefix_wins(string address, int line) =>
        Assert.Equal(line, Map.LookupConnect(IPAddress.Parse(address), null)?.Line ?? 0);

    [Theory]
    [InlineData("example.com", "172.16.0.1", 8)]
    [InlineData("a.b.EXAMPLE.com.", "172.16.0.1", 8)]
    [InlineData("host.example.com", "172.16.0.1", 9)]
    [InlineData("x.host.example.com", "172.16.0.1", 9)]
    [InlineData("spammer.example.com", "192.168.1.7", 10)]
    [InlineData("example.org", "192.168.1.7", 3)]
    [InlineData("notexample.com", "172.16.0.1", 0)]
    public void Connect_host_name_and_parents_come_before_the_address(string host, string address, int line) =>
        Assert.Equal(line, Map.LookupConnect(IPAddress.Parse(address), host)?.Line ?? 0);

    [Theory]
    [InlineData("alice", "example.org", 11)]
    [InlineData("Alice", "Example.ORG", 11)]
    [InlineData("carol", "mx.example.org", 12)]
    [InlineData("bob", "example.org", 12)]
    [InlineData("bob", "elsewhere.test", 14)]
    [InlineData("bob", "host.example.com", 9)]
    [InlineData("user", "[192.0.2.1]", 18)]
    [InlineData("other", "[192.168.1.3]", 2)]
    [InlineData("other", "[10.0.0.1]", 4)]
    [InlineData("carol", "elsewhere.test", 0)]
    public void Sender_user_at_domain_then_domains_then_user_at(string user, string domain, int line) =>
        Assert.Equal(line, Map.LookupSender(new Mailbox(user, domain))?.Line ?? 0);

    [Fact]
    public void Null_sender_is_the_angle_brackets_key() =>
        Assert.Equal(13, Map.LookupSender(null)?.Line);

    [Theory]
    [InlineData("postmaster", "anywhere.test", 15)]
    [InlineData("x", "a.sub.example.net", 16)]
    [InlineData("x", "example.net", 17)]
    [InlineData("x", "other.example.net", 17)]
    [InlineData("alice", "example.org", 0)]
    [InlineData("bob", "x.test", 14)]
    public void Recipient_uses_To_then_untagged(string user, string domain, int line) =>
        Assert.Equal(line, Map.LookupRecipient(new Mailbox(user, domain))?.Line ?? 0);

    [Fact]
    public void First_of_duplicate_keys_wins()
    {
        var map = AccessMapParser.Parse("a.org RELAY\nA.ORG REJECT\n", "access");

        Assert.Equal(AccessAction.Relay, map.LookupRecipient(new Mailbox("x", "a.org"))?.Action);
    }

    [Fact]
    public void Empty_map_matches_nothing() =>
        Assert.Null(AccessMap.Empty.LookupConnect(IPAddress.Loopback, "localhost"));
}
