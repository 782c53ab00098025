using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Delivery;
using Postern.Delivery.Aliases;
using Postern.Delivery.Lmtp;
using Postern.Delivery.Local;

namespace Postern.Tests.Delivery.Lmtp;

/// <summary><c>local.transport</c>: local users' mail goes to the LMTP server after alias expansion.</summary>
public sealed class LocalMailboxTransportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private LocalTransport Transport(ScriptedLmtpServer server, string aliases = "")
    {
        var options = new LocalDeliveryOptions
        {
            Domains = ["example.org"],
            Users = ["alice", "bob"],
            MailboxRoot = _temp.Combine("mail"),
            Transport = server.Transport,
        };
        var file = aliases.Length == 0 ? null : AliasesFile.Parse(Encoding.UTF8.GetBytes(aliases), "aliases", false, false);
        var directory = new LocalRecipientDirectory(options, file);
        var lmtp = new LmtpTransport(LmtpEndpoint.Parse(server.Transport), new LmtpOptions { LhloName = "mx.example.org" }, TimeProvider.System, NullLogger<LmtpTransport>.Instance);
        return new LocalTransport(() => directory, "mx.example.org", TimeProvider.System, NullLogger<LocalTransport>.Instance) { Mailboxes = lmtp };
    }

    [Fact]
    public async Task Users_and_alias_targets_go_in_one_transaction_each_mailbox_once_and_no_Maildir_is_written()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        var message = TestMessages.Create([TestMessages.Recipient("alice@example.org"), TestMessages.Recipient("team@example.org")]);

        var outcomes = await Transport(server, "team: alice, bob\n").DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Delivered, o.Status));
        Assert.All(outcomes, o => Assert.Equal("local", o.Mailer));
        Assert.Equal(1, server.Connections);
        Assert.Equal(["RCPT TO:<alice@example.org>", "RCPT TO:<bob@example.org>"], server.Commands.Where(c => c.StartsWith("RCPT", StringComparison.Ordinal)));
        Assert.Single(server.Messages);
        Assert.False(Directory.Exists(_temp.Combine("mail")));
    }

    [Fact]
    public async Task The_servers_refusal_of_one_alias_target_decides_that_recipient_only()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.DataReplies["bob@example.org"] = "452 4.2.2 <bob@example.org> Quota exceeded";
        var message = TestMessages.Create([TestMessages.Recipient("alice@example.org"), TestMessages.Recipient("team@example.org")]);

        var outcomes = await Transport(server, "team: alice, bob\n").DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Deferred], outcomes.Select(o => o.Status));
        Assert.Contains("Quota exceeded", outcomes[1].Reply.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_still_bounces_without_asking_the_server()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        var message = TestMessages.Create([TestMessages.Recipient("nobody@example.org")]);

        var outcomes = await Transport(server).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Failed, Assert.Single(outcomes).Status);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task The_server_down_defers_the_users()
    {
        int port;
        await using (var gone = ScriptedLmtpServer.StartTcp())
        {
            port = gone.Port;
        }
        var options = new LocalDeliveryOptions { Domains = ["example.org"], Users = ["alice"], MailboxRoot = _temp.Combine("mail") };
        var directory = new LocalRecipientDirectory(options, null);
        var lmtp = new LmtpTransport(LmtpEndpoint.Parse($"lmtp:[127.0.0.1]:{port}"), new LmtpOptions { LhloName = "mx" }, TimeProvider.System, NullLogger<LmtpTransport>.Instance);
        var transport = new LocalTransport(() => directory, "mx", TimeProvider.System, NullLogger<LocalTransport>.Instance) { Mailboxes = lmtp };
        var message = TestMessages.Create([TestMessages.Recipient("alice@example.org")]);

        var outcomes = await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(outcomes).Status);
    }
}
