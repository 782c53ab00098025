using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Delivery.Relay;
using Postern.Testing.Smtp;
using static Postern.Tests.Delivery.Relay.RelayTestSupport;

namespace Postern.Tests.Delivery.Relay;

public sealed class SmtpRelayTransportReuseTests
{
    private static readonly byte[] SimpleBody = Body("Subject: hi\r\n\r\nhello\r\n");

    [Fact]
    public async Task Two_messages_to_one_host_share_a_connection_with_rset_between_and_quit_on_dispose()
    {
        await using var sink = new SmtpSink();
        await using (var transport = Transport(Route(sink)))
        {
            Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "a@remote.example"));
            Assert.Equal(1, transport.IdleSessions);
            Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "b@remote.example"));
            Assert.Equal(1, sink.Connections);
            Assert.Equal(2, sink.Messages.Count);
            var verbs = sink.Commands.Select(Verb).ToArray();
            Assert.Equal(["EHLO", "MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA"], verbs);
        }
        Assert.Equal("QUIT", sink.Commands[^1]);
        Assert.Equal(1, sink.Connections);
    }

    [Fact]
    public async Task A_session_idle_beyond_the_limit_is_closed_and_the_next_message_reconnects()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var sink = new SmtpSink();
        await using var transport = Transport(Route(sink), options: Options with { IdleTimeout = TimeSpan.FromSeconds(10) }, time: clock);
        Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "a@remote.example"));
        Assert.Equal(1, transport.IdleSessions);

        clock.Advance(TimeSpan.FromSeconds(11));
        await WaitUntilAsync(() => sink.Commands.Contains("QUIT"));

        Assert.Equal(0, transport.IdleSessions);
        Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "b@remote.example"));
        Assert.Equal(2, sink.Connections);
        Assert.DoesNotContain("RSET", sink.Commands);
    }

    [Fact]
    public async Task Idle_timeout_zero_closes_after_every_message()
    {
        await using var sink = new SmtpSink();
        await using (var transport = Transport(Route(sink), options: Options with { IdleTimeout = TimeSpan.Zero }))
        {
            Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "a@remote.example"));
            Assert.Equal(0, transport.IdleSessions);
            Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "b@remote.example"));
        }
        Assert.Equal(2, sink.Connections);
        Assert.Equal(2, sink.Commands.Count(c => c == "QUIT"));
    }

    [Fact]
    public async Task Parallel_deliveries_respect_max_per_destination_and_reuse_the_connections()
    {
        var entered = 0;
        var twoInData = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sink = new SmtpSink(new SinkOptions
        {
            // Hold the first message until a second session is in DATA too: proof that two run at once.
            BeforeFinalReply = async () =>
            {
                if (Interlocked.Increment(ref entered) >= 2)
                {
                    twoInData.TrySetResult();
                }
                await twoInData.Task.WaitAsync(TimeSpan.FromSeconds(20));
            },
        });
        await using var transport = Transport(Route(sink), options: Options with { MaxPerDestination = 2 });

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => DeliverOneAsync(transport, $"r{i}@remote.example"))));

        Assert.All(results, r => Assert.Equal(DeliveryStatus.Delivered, r));
        Assert.Equal(6, sink.Messages.Count);
        Assert.Equal(2, sink.Connections);
        Assert.Equal(2, sink.MaxConcurrentSessions);
    }

    [Fact]
    public async Task A_session_that_got_421_is_never_reused()
    {
        var rcpts = 0;
        await using var sink = new SmtpSink(new SinkOptions
        {
            StayOpenAfter421 = true,
            Intercept = line => line.StartsWith("RCPT", StringComparison.Ordinal) && Interlocked.Increment(ref rcpts) == 1 ? "421 4.3.2 Shutting down" : null,
        });
        await using var transport = Transport(Route(sink));

        Assert.Equal(DeliveryStatus.Deferred, await DeliverOneAsync(transport, "a@remote.example"));
        Assert.Equal(0, transport.IdleSessions);
        Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "b@remote.example"));

        Assert.Equal(2, sink.Connections);
        Assert.DoesNotContain("RSET", sink.Commands);
    }

    [Fact]
    public async Task A_kept_session_the_server_dropped_is_replaced_without_failing_the_message()
    {
        await using var sink = new SmtpSink(new SinkOptions { Intercept = line => line == "RSET" ? "DROP" : null });
        await using var transport = Transport(Route(sink));

        Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "a@remote.example"));
        Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "b@remote.example"));

        Assert.Equal(2, sink.Connections);
        Assert.Equal(2, sink.Messages.Count);
    }

    [Fact]
    public async Task With_every_slot_idle_for_another_port_the_idle_session_is_evicted()
    {
        await using var first = new SmtpSink();
        await using var second = new SmtpSink();
        // One host name, two ports: one slot between them.
        var router = new FakeRelayRouter()
            .Add("one.example", new RelayDestination(RelayDestinationStatus.Ok, [first.Host("mx.test")], OutboundTlsPolicy.May))
            .Add("two.example", new RelayDestination(RelayDestinationStatus.Ok, [second.Host("mx.test")], OutboundTlsPolicy.May));
        await using var transport = Transport(router, options: Options with { MaxPerDestination = 1 });

        Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "a@one.example"));
        Assert.Equal(DeliveryStatus.Delivered, await DeliverOneAsync(transport, "b@two.example"));

        Assert.Equal("QUIT", first.Commands[^1]);
        Assert.Equal(1, transport.IdleSessions);
    }

    private static async Task<DeliveryStatus> DeliverOneAsync(SmtpRelayTransport transport, string recipient)
    {
        var message = Message(SimpleBody, recipient);
        return Assert.Single(await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default)).Status;
    }

    private static string Verb(string command) => command.Split(' ', ':')[0];

    /// <summary>Waits for something another thread does; the bound only stops a broken test.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }
}
