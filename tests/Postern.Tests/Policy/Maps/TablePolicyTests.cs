using System.Text.RegularExpressions;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Policy;
using Postern.Policy.Access;
using Postern.Policy.Auth;
using Postern.Policy.Restrictions;
using Postern.Tests.Policy.Golden;
using Postern.Tests.Policy.Restrictions;

namespace Postern.Tests.Policy.Maps;

/// <summary>
/// The policy over maps in a table gives the decisions it gives over the same maps as files: the
/// prefetch asks for every key a stage can consult. A table that cannot answer makes every stage
/// 451 4.3.0, and grants nothing.
/// </summary>
public sealed partial class TablePolicyTests
{
    private static readonly RestrictionLists Everything = new()
    {
        Connect = ["check_client_access", "check_tls_requirements", "permit_tls_clientcerts"],
        Helo = ["check_client_access"],
        Sender = ["check_tls_requirements", "check_sender_access"],
        Recipient = ["check_recipient_access", "permit_local_domains", "permit_relay_domains", "permit_relay_networks", "permit_tls_clientcerts", "reject_unauth_destination"],
        Data = ["check_sender_access"],
    };

    public static TheoryData<string, int> DecisionCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var row in GoldenCase.Load("relay-decisions.cases"))
        {
            data.Add(row.File, row.Line);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DecisionCases))]
    public async Task A_golden_relay_decision_is_the_same_with_the_maps_in_tables(string file, int line)
    {
        var row = GoldenCase.At(file, line);
        var (filePolicy, session, recipient) = RelayDecisionDriver.Build(row);
        var fromFile = await filePolicy.CheckRecipientAsync(session, null, recipient, CancellationToken.None);

        var options = new RelayPolicyOptions { RelayNetworks = [.. row.List(1).Select(System.Net.IPNetwork.Parse)] };
        var relayDomains = new FakeTable("pgsql:relay_domains", row.List(2).ToDictionary(d => d.ToLowerInvariant(), _ => ""));
        var access = row.Columns[3] switch
        {
            "-" or "empty" => FakeTable.Empty("pgsql:access"),
            var name => FakeTable.FromAccessFile(File.ReadAllText(Path.Combine(GoldenCase.Folder, name)), "access"),
        };
        var local = Local(row.Columns[6]);
        var tablePolicy = new RelayPolicy(() => local, options, new PolicyMaps { Access = AccessMapSource.Table(access), RelayDomains = relayDomains });
        var fromTable = await tablePolicy.CheckRecipientAsync(session, null, recipient, CancellationToken.None);

        AssertSame(fromFile, fromTable);
        // One query for the recipient's domain; none for an address literal.
        Assert.True(relayDomains.Queries.Count <= 1);
    }

    public static TheoryData<string, string, string> Sessions()
    {
        var clients = new[] { "198.51.100.7", "198.51.100.8", "203.0.113.66", "203.0.113.67", "203.0.113.68", "203.0.113.69", "203.0.113.70", "192.0.2.50", "192.0.2.51", "192.0.2.52", "10.1.2.3", "::ffff:198.51.100.7", "2001:db8::1" };
        var certificates = new[] { "none", "Ok:/CN=Corp CA:/CN=x", "Ok:/CN=Strict CA:/CN=laptop", "Ok:/CN=Strict CA:/CN=desk", "Ok:/CN=Banned CA:/CN=x", "Fail:/CN=Corp CA:/CN=x" };
        var senders = new[] { "<>", "spammer@bad.example", "friend@partner.example", "someone@else.example" };
        var data = new TheoryData<string, string, string>();
        foreach (var client in clients)
        {
            foreach (var certificate in certificates)
            {
                data.Add(client, certificate, senders[(client.Length + certificate.Length) % senders.Length]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Sessions))]
    public async Task Every_stage_decides_the_same_from_the_table_as_from_the_file(string client, string certificate, string senderText)
    {
        var session = Session(client, certificate);
        var sender = senderText == "<>" ? null : RestrictionFixture.Address(senderText);
        var table = FakeTable.FromAccessFile(RestrictionFixture.MapText, RestrictionFixture.MapFile);
        var tablePolicy = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), RestrictionFixture.Options with { Restrictions = Everything }, new PolicyMaps { Access = AccessMapSource.Table(table) });
        var filePolicyLocal = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), RestrictionFixture.Options with { Restrictions = Everything }, () => RestrictionFixture.Map);

        AssertSame(await filePolicyLocal.CheckConnectAsync(session, default), await tablePolicy.CheckConnectAsync(session, default));
        AssertSame(await filePolicyLocal.CheckHeloAsync(session, "x.example", default), await tablePolicy.CheckHeloAsync(session, "x.example", default));
        AssertSame(await filePolicyLocal.CheckSenderAsync(session, sender, default), await tablePolicy.CheckSenderAsync(session, sender, default));
        foreach (var rcpt in new[] { "alice@example.org", "a@partner.example", "b@okay.example", "held@example.org", "void@example.org", "c@blocked.example", "d@relay.example", "e@elsewhere.example" })
        {
            var recipient = RestrictionFixture.Address(rcpt);
            AssertSame(await filePolicyLocal.CheckRecipientAsync(session, sender, recipient, default), await tablePolicy.CheckRecipientAsync(session, sender, recipient, default));
        }
        Assert.Equal(await filePolicyLocal.MayRelayAsync(session, default), await tablePolicy.MayRelayAsync(session, default));
        // One query per decision, never a scan.
        Assert.All(table.Queries, keys => Assert.True(keys.Count <= 64, string.Join(" ", keys)));
    }

    [Fact]
    public async Task A_stage_asks_only_for_the_keys_its_restrictions_consult()
    {
        var table = FakeTable.FromAccessFile(RestrictionFixture.MapText);
        var policy = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), RestrictionFixture.Options, new PolicyMaps { Access = AccessMapSource.Table(table) });
        var session = RestrictionFixture.Session("203.0.113.5");

        await policy.CheckConnectAsync(session, default);
        await policy.CheckRecipientAsync(session, null, RestrictionFixture.Address("bob@Partner.Example"), default);

        // connect: check_client_access over the address and its prefixes, tagged and untagged.
        Assert.Equal(["Connect:203.0.113.5", "203.0.113.5", "Connect:203.0.113", "203.0.113", "Connect:203.0", "203.0", "Connect:203", "203"], table.Queries[0]);
        // rcpt: check_recipient_access, and permit_relay_networks' Connect: RELAY lines; no sender, certificate or TLS_Clt keys.
        Assert.Contains("To:bob@partner.example", table.Queries[1]);
        Assert.Contains("partner.example", table.Queries[1]);
        Assert.Contains("To:bob@", table.Queries[1]);
        Assert.Contains("Connect:203.0.113.5", table.Queries[1]);
        Assert.DoesNotContain(table.Queries[1], k => k.StartsWith("From:", StringComparison.Ordinal) || k.StartsWith("CERT", StringComparison.Ordinal) || k.StartsWith("TLS_Clt:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_table_that_cannot_answer_makes_every_stage_451_and_grants_nothing()
    {
        var table = FakeTable.FromAccessFile(RestrictionFixture.MapText);
        table.Down = true;
        var policy = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), RestrictionFixture.Options with { Restrictions = Everything }, new PolicyMaps { Access = AccessMapSource.Table(table) });
        // A client the map lets relay, were it readable.
        var session = RestrictionFixture.Session("198.51.100.7");
        var recipient = RestrictionFixture.Address("someone@elsewhere.example");

        var decisions = new[]
        {
            await policy.CheckConnectAsync(session, default),
            await policy.CheckHeloAsync(session, "x.example", default),
            await policy.CheckSenderAsync(session, null, default),
            await policy.CheckRecipientAsync(session, null, recipient, default),
            (await policy.EvaluateDataAsync(session, null, default)).Decision,
        };

        Assert.All(decisions, d =>
        {
            Assert.False(d.IsAccepted);
            Assert.Equal("451 4.3.0 Temporary lookup failure", d.Reply?.ToString());
            Assert.Contains("pgsql:access: connection refused", d.Reason, StringComparison.Ordinal);
        });
        Assert.False(await policy.MayRelayAsync(session, default));
        Assert.False(policy.MayRelay(session));
    }

    [Fact]
    public async Task Relay_domains_in_a_table_match_as_the_list_does_and_an_unreadable_one_defers()
    {
        var table = new FakeTable("pgsql:relay_domains", new Dictionary<string, string> { ["example.net"] = "", [".sub.example.com"] = "" });
        var policy = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), new RelayPolicyOptions(), new PolicyMaps { RelayDomains = table });
        var session = RestrictionFixture.Session("203.0.113.9");

        Assert.True((await policy.CheckRecipientAsync(session, null, RestrictionFixture.Address("a@Example.NET"), default)).IsAccepted);
        Assert.True((await policy.CheckRecipientAsync(session, null, RestrictionFixture.Address("a@x.sub.example.com"), default)).IsAccepted);
        Assert.Equal("550 5.7.1 <a@sub.example.com>: Relaying denied", (await policy.CheckRecipientAsync(session, null, RestrictionFixture.Address("a@sub.example.com"), default)).Reply?.ToString());
        Assert.Equal("550 5.7.1 <a@mail.example.net>: Relaying denied", (await policy.CheckRecipientAsync(session, null, RestrictionFixture.Address("a@mail.example.net"), default)).Reply?.ToString());

        table.Down = true;
        Assert.Equal("451 4.3.0 Temporary lookup failure", (await policy.CheckRecipientAsync(session, null, RestrictionFixture.Address("a@example.net"), default)).Reply?.ToString());
    }

    [Fact]
    public async Task The_sender_login_map_in_a_table_owns_senders_as_the_file_does_and_an_unreadable_one_defers()
    {
        var table = new FakeTable("pgsql:sender_logins", new Dictionary<string, string> { ["alice@example.org"] = "alice", ["@example.net"] = "alice, bob" });
        var policy = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), new RelayPolicyOptions(), new PolicyMaps { SenderLogins = SenderLoginSource.Table(table) });
        var bob = RestrictionFixture.Session("203.0.113.9") with { SaslLogin = "bob" };

        Assert.True((await policy.CheckSenderAsync(bob, RestrictionFixture.Address("Carol@EXAMPLE.net"), default)).IsAccepted);
        Assert.Equal(["carol@example.net", "@example.net"], table.Queries[^1]);
        var refused = await policy.CheckSenderAsync(bob, RestrictionFixture.Address("alice@example.org"), default);
        Assert.StartsWith("553 5.7.1", refused.Reply?.ToString(), StringComparison.Ordinal);

        table.Down = true;
        Assert.Equal("451 4.3.0 Temporary lookup failure", (await policy.CheckSenderAsync(bob, RestrictionFixture.Address("alice@example.org"), default)).Reply?.ToString());
        // Not authenticated: the map is not asked at all.
        var queries = table.Queries.Count;
        Assert.True((await policy.CheckSenderAsync(RestrictionFixture.Session("203.0.113.9"), RestrictionFixture.Address("alice@example.org"), default)).IsAccepted);
        Assert.Equal(queries, table.Queries.Count);
    }

    [Fact]
    public async Task A_row_the_parser_refuses_makes_the_table_unavailable_not_absent()
    {
        var table = new FakeTable("pgsql:access", new Dictionary<string, string> { ["To:spam.example"] = "REJECTED" });
        var policy = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), new RelayPolicyOptions { RelayNetworks = [System.Net.IPNetwork.Parse("10.0.0.0/8")] }, new PolicyMaps { Access = AccessMapSource.Table(table) });

        var decision = await policy.CheckRecipientAsync(RestrictionFixture.Session("10.1.1.1"), null, RestrictionFixture.Address("a@spam.example"), default);

        Assert.Equal("451 4.3.0 Temporary lookup failure", decision.Reply?.ToString());
        Assert.Contains("row 'To:spam.example' has a bad value", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_limits_come_from_the_table_and_an_unreadable_one_throws()
    {
        var table = new FakeTable("pgsql:access", new Dictionary<string, string> { ["ClientConn:192.0.2"] = "3", ["ClientRate:"] = "100" });
        var limits = new AccessClientLimits(AccessMapSource.Table(table));

        var found = await limits.LookupAsync(System.Net.IPAddress.Parse("192.0.2.7"), default);

        Assert.Equal(3, found.Connections?.Value);
        Assert.Equal(100, found.ConnectionsPerMinute?.Value);
        Assert.Null(found.GreetPause);
        table.Down = true;
        await Assert.ThrowsAsync<Postern.Core.Maps.LookupTableUnavailableException>(() => limits.LookupAsync(System.Net.IPAddress.Parse("192.0.2.7"), default).AsTask());
    }

    [Theory]
    [InlineData("connect:192.168.1", "Connect:192.168.1")]
    [InlineData("TO:Spam.Example.", "To:spam.example")]
    [InlineData("CERTIssuer:/CN=Corp+20CA", "CERTISSUER:/CN=Corp CA")]
    [InlineData("IPv6:2001:DB8::1", "ipv6:2001:db8:0:0:0:0:0:1")]
    [InlineData("User@Example.COM", "user@example.com")]
    [InlineData("tls_clt:10.1", "TLS_Clt:10.1")]
    public void A_written_key_is_stored_in_one_spelling(string written, string stored)
    {
        Assert.True(AccessTableKey.TryNormalize(written, out var key, out var error), error);
        Assert.Equal(stored, key);
    }

    [Fact]
    public void A_key_the_map_refuses_is_refused_for_the_table_too()
    {
        Assert.False(AccessTableKey.TryNormalize("Connect:user@example.com", out _, out var error));
        Assert.Contains("not a mailbox", error, StringComparison.Ordinal);
    }

    private static LocalDomain Local(string status) => new("example.org", status switch
    {
        "known" => LocalRecipientStatus.Known,
        "unknown" => LocalRecipientStatus.Unknown,
        _ => LocalRecipientStatus.TemporaryFailure,
    });

    private static SessionFacts Session(string client, string certificate)
    {
        if (certificate == "none")
        {
            return RestrictionFixture.Session(client);
        }
        var parts = certificate.Split(':');
        return RestrictionFixture.Session(client, Enum.Parse<VerifyResult>(parts[0]), issuer: parts[1], subject: parts[2]);
    }

    /// <summary>The same verdict and reply; the reasons alike but for where the line is (file:line or the table's name).</summary>
    private static void AssertSame(PolicyDecision fromFile, PolicyDecision fromTable)
    {
        Assert.Equal(fromFile.Verdict, fromTable.Verdict);
        Assert.Equal(fromFile.Reply, fromTable.Reply);
        Assert.Equal(Where().Replace(fromFile.Reason, "MAP"), Where().Replace(fromTable.Reason, "MAP"));
    }

    [GeneratedRegex(@"(/etc/mail/access|access|pgsql:access)(:\d+)?")]
    private static partial Regex Where();
}
