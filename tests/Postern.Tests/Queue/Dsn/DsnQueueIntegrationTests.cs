using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Dsn;
using static Postern.Tests.Queue.Dsn.DsnTestData;

namespace Postern.Tests.Queue.Dsn;

/// <summary>The real spool and runner: a failed recipient's bounce is queued and then delivered by the same runner.</summary>
public sealed class DsnQueueIntegrationTests
{
    [Fact]
    public async Task A_failed_recipient_is_bounced_through_the_queue_to_the_sender()
    {
        using var directory = new TempSpoolDirectory();
        var clock = new FakeTimeProvider(Now);
        var options = TestMessages.Options(directory);
        var committed = new CommittedMessages();
        var spool = new Spool(options, TestMessages.IoThreads, committed, clock, NullLogger<Spool>.Instance);
        var transport = FakeTransport.Answering(r => r.Address.LocalPart == "nobody" ? DeliveryStatus.Failed : DeliveryStatus.Delivered);
        var sink = new DsnBounceSink(spool, Host, "postmaster@mx.test", clock, NullLogger<DsnBounceSink>.Instance);
        var attempts = Channel.CreateUnbounded<(QueueId, AttemptResult)>();
        var runner = new QueueRunner(spool, committed, transport, sink, options, clock, NullLogger<QueueRunner>.Instance)
        {
            AttemptCompleted = (id, result) => attempts.Writer.TryWrite((id, result)),
        };
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);
        try
        {
            var envelope = Envelope(Alice, Recipient("bob@example.net"), Recipient("nobody@example.net", orcpt: "rfc822;nobody@example.net")) with { EnvelopeId = "E1" };
            var original = await TestMessages.CommitAsync(spool, envelope, System.Text.Encoding.ASCII.GetBytes(Original));

            var first = await transport.Calls.Reader.ReadAsync().AsTask().WaitAsync(RunnerHarness.Timeout);
            Assert.Equal(original, first.Id);
            Assert.Equal([0, 1], first.Indices);

            var second = await transport.Calls.Reader.ReadAsync().AsTask().WaitAsync(RunnerHarness.Timeout);
            Assert.NotEqual(original, second.Id);
            Assert.Equal([0], second.Indices);
            var bounce = Parse(second.Body);
            Assert.Equal("alice@example.org", ((MimeKit.MailboxAddress)bounce.To.Single()).Address);
            var (_, status, original822) = Parts(bounce);
            Assert.Equal("E1", status.StatusGroups[0]["Original-Envelope-Id"]);
            var groups = status.StatusGroups.Where(g => g.Count > 0).ToArray();
            Assert.Equal(2, groups.Length);
            Assert.Equal("rfc822; nobody@example.net", groups[1]["Final-Recipient"]);
            Assert.Equal("rfc822;nobody@example.net", groups[1]["Original-Recipient"]);
            Assert.Equal("5.1.1", groups[1]["Status"]);
            Assert.Equal("Lunch", Assert.IsType<MimeKit.MessagePart>(original822).Message!.Subject);

            var results = new List<(QueueId Id, AttemptResult Result)>
            {
                await attempts.Reader.ReadAsync().AsTask().WaitAsync(RunnerHarness.Timeout),
                await attempts.Reader.ReadAsync().AsTask().WaitAsync(RunnerHarness.Timeout),
            };
            Assert.Contains((original, AttemptResult.Done), results);
            Assert.Contains((second.Id, AttemptResult.Done), results);
            Assert.Empty(TempSpoolDirectory.Names(directory.Queue));
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(RunnerHarness.Timeout);
        }
    }
}
