using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Policy;
using Postern.Policy;
using Postern.Server.Listening;
using Postern.Server.Options;
using Postern.Server.Session;
using Postern.Server.Telemetry;

namespace Postern.Tests.Server.Telemetry;

/// <summary>Connections accepted and refused by the limits, counted per listener on a real loopback server.</summary>
public sealed class ConnectionMetricsTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new();

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task Accepted_and_refused_connections_count_per_listener_and_active_ones_go_back_to_zero()
    {
        var options = DialogHarness.DefaultOptions() with
        {
            Listeners = [new ListenerOptions("edge", new IPEndPoint(IPAddress.Loopback, 0), ListenerRole.Mta)],
            MaxConnectionsPerIp = 1,
        };
        var services = new SessionServices(
            options, new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions()), new FakeMessageQueue(), TimeProvider.System, NullLogger.Instance)
        {
            Metrics = new ServerMetrics(_recorder.Meter),
        };
        var server = new SmtpServer(services);
        await using (server)
        {
            Assert.False(server.IsListening);
            server.Start();
            Assert.True(server.IsListening);
            var endPoint = server.EndPoints[0];

            using (var first = new TcpClient())
            {
                await first.ConnectAsync(endPoint);
                var firstStream = first.GetStream();
                Assert.StartsWith("220 ", await ReadLineAsync(firstStream), StringComparison.Ordinal);
                Assert.Equal(1, _recorder.Sum("postern.smtp.connections.active", "listener=edge"));

                using (var second = new TcpClient())
                {
                    await second.ConnectAsync(endPoint);
                    Assert.StartsWith("421 4.7.0", await ReadLineAsync(second.GetStream()), StringComparison.Ordinal);
                }
                await firstStream.WriteAsync(Encoding.ASCII.GetBytes("QUIT\r\n"));
                Assert.StartsWith("221 ", await ReadLineAsync(firstStream), StringComparison.Ordinal);
            }
            await WaitUntilAsync(() => _recorder.Sum("postern.smtp.connections.active", "listener=edge") == 0);

            Assert.Equal(1, _recorder.Sum("postern.smtp.connections", "listener=edge", "result=accepted"));
            Assert.Equal(1, _recorder.Sum("postern.smtp.connections", "listener=edge", "result=refused"));
            await server.StopAsync();
            Assert.False(server.IsListening);
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, timeout.Token) == 1 && buffer[0] != '\n')
        {
            line.Append((char)buffer[0]);
        }
        return line.ToString().TrimEnd('\r');
    }

    // The session's end (and its gauge decrement) follows the client's close; wait for it, bounded.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition());
    }
}
