using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Postern.Config.Check;
using Postern.Core.Milters;
using Postern.Tests.Config.Lint;

namespace Postern.Tests.Config.Check;

/// <summary>`config check` probes each milter's socket with SMFIC_OPTNEG and warns when it does not answer.</summary>
public sealed class MilterProbeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_milter_that_answers_the_negotiation_passes()
    {
        using var milter = new FakeMilter(FakeMilter.Answer.Negotiate);

        Assert.Null(await MilterProbe.ProbeAsync(milter.Address, Deadline, TimeProvider.System));

        var received = await milter.ReceivedAsync();
        Assert.Equal(17 + 5, received.Length);
        Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(received));
        Assert.Equal((byte)'O', received[4]);
        Assert.Equal(6u, BinaryPrimitives.ReadUInt32BigEndian(received.AsSpan(5)));
        Assert.Equal([0, 0, 0, 1, (byte)'Q'], received[17..]);
    }

    [Fact]
    public async Task A_listener_that_never_answers_times_out()
    {
        using var milter = new FakeMilter(FakeMilter.Answer.Silence);

        Assert.Equal("no answer within 2s", await MilterProbe.ProbeAsync(milter.Address, Deadline, TimeProvider.System));
    }

    [Fact]
    public async Task Something_else_on_the_port_is_not_a_milter()
    {
        using var milter = new FakeMilter(FakeMilter.Answer.SmtpGreeting);

        var problem = await MilterProbe.ProbeAsync(milter.Address, Deadline, TimeProvider.System);

        Assert.StartsWith("it does not speak the milter protocol", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var problem = await MilterProbe.ProbeAsync(new MilterSocketAddress(MilterSocketKind.Inet, "127.0.0.1", port, ""), Deadline, TimeProvider.System);

        Assert.Equal("Connection refused", problem);
    }

    [Fact]
    public void Config_check_lists_each_listeners_milters_and_warns_about_the_one_that_does_not_answer()
    {
        using var answering = new FakeMilter(FakeMilter.Answer.Negotiate);
        using var silent = new FakeMilter(FakeMilter.Answer.SmtpGreeting);
        using var run = new ConfigCheckRun();

        var (exit, output, errors) = run.Check($"""
            [[listener]]
            name = "mx"
            address = "127.0.0.1:2525"
            role = "mta"
            milters = ["good", "bad"]
            [[listener]]
            name = "internal"
            address = "127.0.0.1:2526"
            role = "mta"
            milters = []
            [[milter]]
            name = "good"
            socket = "{answering.Address}"
            [[milter]]
            name = "bad"
            socket = "{silent.Address}"
            default_action = "accept"
            """, addListener: false);

        Assert.Equal(0, exit);
        Assert.Contains("  listener mx milters: good, bad\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  listener internal milters: none\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  local submissions milters: none\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"warning: milter: milter \"bad\" ({silent.Address}) does not answer: it does not speak the milter protocol", errors, StringComparison.Ordinal);
        Assert.Contains("sessions get its default_action (\"accept\") until it does", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("\"good\"", errors, StringComparison.Ordinal);
        Assert.EndsWith(": OK, 1 warning\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>A loopback listener that takes one connection and answers as told.</summary>
    private sealed class FakeMilter : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task<byte[]> _session;
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(20));

        public FakeMilter(Answer answer)
        {
            _listener.Start();
            Address = new MilterSocketAddress(MilterSocketKind.Inet, "127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port, "");
            _session = ServeAsync(answer);
        }

        public enum Answer
        {
            Negotiate,
            Silence,
            SmtpGreeting,
        }

        public MilterSocketAddress Address { get; }

        /// <summary>Everything the probe sent, once it closed the connection.</summary>
        public Task<byte[]> ReceivedAsync() => _session.WaitAsync(TimeSpan.FromSeconds(10));

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task<byte[]> ServeAsync(Answer answer)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            if (answer == Answer.SmtpGreeting)
            {
                await stream.WriteAsync("220 not a milter ESMTP\r\n"u8.ToArray(), _stop.Token);
            }
            var request = new byte[17];
            await stream.ReadExactlyAsync(request, _stop.Token);
            if (answer == Answer.Silence)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return request;
            }
            if (answer == Answer.Negotiate)
            {
                var reply = new byte[17];
                BinaryPrimitives.WriteUInt32BigEndian(reply, 13);
                reply[4] = (byte)'O';
                BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(5), 6);
                BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(9), 0x1);
                BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(13), 0x0);
                await stream.WriteAsync(reply, _stop.Token);
            }
            var rest = new MemoryStream();
            await stream.CopyToAsync(rest, _stop.Token);
            return [.. request, .. rest.ToArray()];
        }
    }
}
