using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Delivery.Aliases;
using Postern.Delivery.Local;
using Postern.Delivery.Routing;
using Postern.Tests.Policy.Maps;

namespace Postern.Tests.Delivery.Local;

/// <summary>
/// Aliases in a table expand as the same aliases in a file do (the rows a name can reach are read
/// first, level by level); a table that cannot answer defers, never delivers elsewhere.
/// </summary>
public sealed class AliasTableTests : IDisposable
{
    private const string Aliases = "staff: alice, team\nteam: bob, carol@remote.test\npostmaster: root-alias\nroot-alias: alice\nloop1: loop2\nloop2: loop1\nsales: \\bob, alice+orders\n";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private LocalDeliveryOptions Options => new() { Domains = ["example.org"], Users = ["alice", "bob"], MailboxRoot = _temp.Combine("mail") };

    private static FakeTable Table()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Aliases.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            rows.Add(line[..colon], line[(colon + 1)..].Trim());
        }
        return new FakeTable("pgsql:aliases", rows);
    }

    [Theory]
    [InlineData("staff")]
    [InlineData("team")]
    [InlineData("postmaster")]
    [InlineData("loop1")]
    [InlineData("sales")]
    [InlineData("staff+detail")]
    [InlineData("alice")]
    [InlineData("nobody")]
    public async Task An_expansion_from_the_table_is_the_expansion_from_the_file(string name)
    {
        var fromFile = new LocalRecipientDirectory(Options, AliasesFile.Parse(Encoding.UTF8.GetBytes(Aliases), "aliases", false, false));
        var table = Table();
        var fromTable = await new AliasTable(table).ResolveAsync(new LocalRecipientDirectory(Options, null), [name], default);
        var mailbox = new Mailbox(name, "example.org");

        var expected = fromFile.Expand(mailbox);
        var actual = fromTable.Expand(mailbox);

        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Targets, actual.Targets);
        Assert.Equal(expected.Problem, actual.Problem);
        Assert.Equal(fromFile.Lookup(mailbox), fromTable.Lookup(mailbox));
        Assert.True(table.Queries.Count <= 4, table.Queries.Count + " queries");
    }

    [Fact]
    public async Task At_rcpt_an_alias_in_the_table_is_a_known_recipient()
    {
        var tables = new RecipientTables(() => new LocalRecipientDirectory(Options, null), new AliasTable(Table()), null);

        Assert.Equal(LocalRecipientStatus.Known, (await tables.ResolveAsync(new Mailbox("staff", "example.org"), default)).Lookup(new Mailbox("staff", "example.org")));
        Assert.Equal(LocalRecipientStatus.Unknown, (await tables.ResolveAsync(new Mailbox("nobody", "example.org"), default)).Lookup(new Mailbox("nobody", "example.org")));
    }

    [Fact]
    public async Task Delivery_defers_every_recipient_while_the_table_cannot_answer()
    {
        var table = Table();
        table.Down = true;
        var transport = new LocalTransport(() => new LocalRecipientDirectory(Options, null), "mx.example.org", TimeProvider.System, NullLogger<LocalTransport>.Instance)
        {
            Aliases = new AliasTable(table),
        };
        var message = TestMessages.Create([TestMessages.Recipient("staff@example.org"), TestMessages.Recipient("alice@example.org")]);

        var outcomes = await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.All(outcomes, o =>
        {
            Assert.Equal(DeliveryStatus.Deferred, o.Status);
            Assert.Equal("451 4.3.0 Temporary lookup failure (pgsql:aliases)", o.Reply.ToString());
        });
        Assert.False(System.IO.Directory.Exists(_temp.Combine("mail")));
    }

    [Fact]
    public async Task Delivery_expands_from_the_table_into_the_users_maildirs()
    {
        var transport = new LocalTransport(() => new LocalRecipientDirectory(Options, null), "mx.example.org", TimeProvider.System, NullLogger<LocalTransport>.Instance)
        {
            Aliases = new AliasTable(Table()),
        };
        var message = TestMessages.Create([TestMessages.Recipient("postmaster@example.org")]);

        var outcome = Assert.Single(await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default));

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Single(System.IO.Directory.GetFiles(_temp.Combine("mail", "alice", "new")));
    }

    [Fact]
    public async Task A_row_that_is_not_an_alias_makes_the_table_unavailable()
    {
        var table = new FakeTable("pgsql:aliases", new Dictionary<string, string> { ["bad"] = "\"unterminated" });

        var e = await Assert.ThrowsAsync<Postern.Core.Maps.LookupTableUnavailableException>(() => new AliasTable(table).ResolveAsync(new LocalRecipientDirectory(Options, null), ["bad"], default).AsTask());

        Assert.Contains("row 'bad' is not a valid alias", e.Message, StringComparison.Ordinal);
    }
}
