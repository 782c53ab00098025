using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Postern.Core.Queueing;
using Postern.Queue.Dsn;
using Postern.Tests.Server;
using static Postern.Tests.Queue.Dsn.DsnTestData;

namespace Postern.Tests.Queue.Dsn;

public sealed class DsnBounceSinkTests
{
    private readonly FakeMessageQueue _queue = new();

    private DsnBounceSink Sink() =>
        new(_queue, Host, "postmaster@mx.test", new FakeTimeProvider(Now), NullLogger<DsnBounceSink>.Instance);

    [Fact]
    public async Task A_failure_is_bounced_from_the_null_sender_to_the_sender_with_notify_never()
    {
        var carol = Recipient("carol@example.net");
        var bob = Recipient("bob@example.net");
        var message = Message(Envelope(Alice, carol, bob, Recipient("dave@example.net")));

        await Sink().ReportFailuresAsync(message, [Failed(bob)], CancellationToken.None);

        var (envelope, bytes) = Assert.Single(_queue.Committed);
        Assert.Null(envelope.Sender);
        var to = Assert.Single(envelope.Recipients);
        Assert.Equal(Alice, to.Address);
        Assert.Equal(DsnNotify.Never, to.Notify);
        Assert.Equal("dsn", envelope.Client.ListenerName);
        Assert.Equal("LOCAL", envelope.Client.Protocol);
        Assert.Null(envelope.Client.Address);
        Assert.Equal(Now, envelope.ReceivedAt);
        Assert.Equal(BodyType.SevenBit, envelope.Body);

        Assert.DoesNotContain((byte)'\n', bytes.Where((b, i) => b == (byte)'\n' && (i == 0 || bytes[i - 1] != (byte)'\r')));
        var bounce = Parse(bytes);
        Assert.Equal("Undelivered Mail Returned to Sender", bounce.Subject);
        var groups = Parts(bounce).Status.StatusGroups.Where(g => g.Count > 0).ToArray();
        Assert.Equal(2, groups.Length);
        Assert.Equal("rfc822; bob@example.net", groups[1]["Final-Recipient"]);
    }

    [Fact]
    public async Task Only_recipients_that_asked_for_failure_reports_are_listed()
    {
        var never = Recipient("bob@example.net", DsnNotify.Never);
        var plain = Recipient("carol@example.net");
        var message = Message(Envelope(Alice, never, plain));

        await Sink().ReportFailuresAsync(message, [Failed(never), Failed(plain)], CancellationToken.None);

        var (_, bytes) = Assert.Single(_queue.Committed);
        var groups = Parts(Parse(bytes)).Status.StatusGroups.Where(g => g.Count > 0).ToArray();
        Assert.Equal(2, groups.Length);
        Assert.Equal("rfc822; carol@example.net", groups[1]["Final-Recipient"]);
    }

    [Theory]
    [InlineData(DsnNotify.Never)]
    [InlineData(DsnNotify.Success)]
    [InlineData(DsnNotify.Success | DsnNotify.Delay)]
    public async Task No_bounce_when_notify_excludes_failure(DsnNotify notify)
    {
        var bob = Recipient("bob@example.net", notify);

        await Sink().ReportFailuresAsync(Message(Envelope(Alice, bob)), [Failed(bob)], CancellationToken.None);

        Assert.Empty(_queue.Committed);
        Assert.Equal(0, _queue.Aborted);
    }

    [Fact]
    public async Task A_failed_bounce_goes_to_the_postmaster_never_to_the_null_sender()
    {
        // The bounce we once sent: from <>, NOTIFY=NEVER.
        var alice = new EnvelopeRecipient(Alice, DsnNotify.Never);
        var message = Message(Envelope(null, alice));

        await Sink().ReportFailuresAsync(message, [Failed(alice)], CancellationToken.None);

        var (envelope, bytes) = Assert.Single(_queue.Committed);
        Assert.Null(envelope.Sender);
        var to = Assert.Single(envelope.Recipients);
        Assert.Equal("postmaster@mx.test", to.Address.ToString());
        Assert.Equal(DsnNotify.Never, to.Notify);
        var bounce = Parse(bytes);
        Assert.Equal("postmaster@mx.test", ((MailboxAddress)bounce.To.Single()).Address);
        Assert.Equal("Postmaster Copy: Undelivered Mail", bounce.Subject);
        Assert.Equal("rfc822; alice@example.org", Parts(bounce).Status.StatusGroups[1]["Final-Recipient"]);
    }

    [Theory]
    [InlineData("postmaster@mx.test")]
    [InlineData("Postmaster@MX.test")]
    public async Task A_failed_double_bounce_is_only_logged(string postmaster)
    {
        var to = Recipient(postmaster, DsnNotify.Never);
        var message = Message(Envelope(null, to));

        await Sink().ReportFailuresAsync(message, [Failed(to)], CancellationToken.None);

        Assert.Empty(_queue.Committed);
    }

    [Fact]
    public async Task An_eight_bit_original_makes_the_bounce_8bitmime()
    {
        var bob = Recipient("bob@example.net");
        var original = Original.Replace("Shall we meet at noon?", "Déjeuner à midi ?", StringComparison.Ordinal);
        var message = Message(Envelope(Alice, bob) with { Body = BodyType.EightBitMime }, original);

        await Sink().ReportFailuresAsync(message, [Failed(bob)], CancellationToken.None);

        var (envelope, bytes) = Assert.Single(_queue.Committed);
        Assert.Equal(BodyType.EightBitMime, envelope.Body);
        var part = Assert.IsType<MessagePart>(Parts(Parse(bytes)).Original);
        Assert.Equal(Original.Replace("Shall we meet at noon?", "Déjeuner à midi ?", StringComparison.Ordinal), Encoding.UTF8.GetString(Render(part.Message!)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_bounce_of_a_requiretls_message_requires_tls_too(bool requireTls)
    {
        var bob = Recipient("bob@example.net");
        var message = Message(Envelope(Alice, bob) with { RequireTls = requireTls });

        await Sink().ReportFailuresAsync(message, [Failed(bob)], CancellationToken.None);

        var (envelope, _) = Assert.Single(_queue.Committed);
        Assert.Equal(requireTls, envelope.RequireTls);
    }

    [Fact]
    public async Task A_queue_failure_throws_so_the_runner_retries()
    {
        _queue.FailOnCommit = true;
        var bob = Recipient("bob@example.net");

        await Assert.ThrowsAsync<IOException>(async () =>
            await Sink().ReportFailuresAsync(Message(Envelope(Alice, bob)), [Failed(bob)], CancellationToken.None));

        Assert.Empty(_queue.Committed);
        Assert.Equal(1, _queue.Aborted);
    }
}
