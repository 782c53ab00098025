using Postern.Tools.Check;

namespace Postern.Tests.Tools.Check;

public sealed class WeakProtocolProbeTests
{
    private static readonly byte[] ClientHello = [0x16, 0x03, 0x01, 0x00, 0x50, 0x01, 0x00, 0x00, 0x4c, 0x03, 0x01];
    private static readonly byte[] OurAlert = [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x50];

    private static async Task<RecordingStream> WireAsync(byte[] sent, byte[] answer)
    {
        var stream = new RecordingStream(new DuplexStream(answer));
        stream.Mark();
        await stream.WriteAsync(sent);
        var buffer = new byte[128];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
        return stream;
    }

    [Fact]
    public async Task Only_an_alert_from_our_side_means_the_client_side_is_disabled_not_that_the_server_refused()
    {
        using var wire = await WireAsync(OurAlert, []);

        var result = WeakProtocolProbe.Classify("TLSv1.0", wire, "SSL_ERROR_SSL");

        Assert.Equal(WeakProtocolOutcome.NotTested, result.Outcome);
        Assert.StartsWith("client side disabled", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_sent_at_all_is_not_tested_either()
    {
        using var wire = await WireAsync([], []);

        Assert.Equal(WeakProtocolOutcome.NotTested, WeakProtocolProbe.Classify("TLSv1.1", wire, "no protocols available").Outcome);
    }

    [Fact]
    public async Task A_server_hello_with_the_old_version_means_accepted_even_when_our_side_then_gave_up()
    {
        byte[] serverHello = [0x16, 0x03, 0x01, 0x00, 0x4a, 0x02, 0x00, 0x00, 0x46, 0x03, 0x01, 0x00];
        using var wire = await WireAsync(ClientHello, serverHello);

        var result = WeakProtocolProbe.Classify("TLSv1.0", wire, "certificate signature too weak");

        Assert.Equal(WeakProtocolOutcome.Accepted, result.Outcome);
        Assert.Contains("TLSv1.0 ServerHello", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_protocol_version_alert_or_a_hang_up_means_refused()
    {
        using var alerted = await WireAsync(ClientHello, [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]);
        using var closed = await WireAsync(ClientHello, []);

        var alert = WeakProtocolProbe.Classify("TLSv1.0", alerted, "x");
        var hangUp = WeakProtocolProbe.Classify("TLSv1.0", closed, "x");

        Assert.Equal(WeakProtocolOutcome.Refused, alert.Outcome);
        Assert.Contains("alert 70 (protocol_version)", alert.Detail, StringComparison.Ordinal);
        Assert.Equal(WeakProtocolOutcome.Refused, hangUp.Outcome);
        Assert.Contains("closed the connection", hangUp.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_hello_versions_are_read_from_the_record()
    {
        Assert.Equal(0x0302, ServerHelloInspector.ServerHelloVersion([0x16, 0x03, 0x02, 0x00, 0x4a, 0x02, 0x00, 0x00, 0x46, 0x03, 0x02]));
        Assert.Null(ServerHelloInspector.ServerHelloVersion([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]));
        Assert.Equal("TLSv1.1", ServerHelloInspector.VersionName(0x0302));
    }

    /// <summary>Reads come from a fixed answer; writes go nowhere.</summary>
    private sealed class DuplexStream(byte[] answer) : MemoryStream(answer)
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
