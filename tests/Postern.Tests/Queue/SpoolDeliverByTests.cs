using System.Text.Json;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue;

public sealed class SpoolDeliverByTests
{
    [Fact]
    public void A_by_request_survives_the_json_line()
    {
        var deadline = new DateTimeOffset(2024, 5, 1, 12, 5, 0, TimeSpan.FromHours(2));
        var envelope = TestMessages.Envelope("bob@example.net") with { DeliverBy = new DeliverBy(deadline, DeliverByMode.Return, false) };

        var json = JsonSerializer.Serialize(EnvelopeMapper.ToRecord(envelope, deadline), SpoolJsonContext.Default.SpoolRecord);
        var loaded = EnvelopeMapper.ToEnvelope(JsonSerializer.Deserialize(json, SpoolJsonContext.Default.SpoolRecord)!);

        Assert.Contains("\"deliverBy\":{", json, StringComparison.Ordinal);
        Assert.Equal(new DeliverBy(deadline, DeliverByMode.Return, false), loaded.DeliverBy);
    }

    [Fact]
    public void A_line_written_before_deliverby_loads_without_a_request()
    {
        var envelope = TestMessages.Envelope("bob@example.net");
        var json = JsonSerializer.Serialize(EnvelopeMapper.ToRecord(envelope, envelope.ReceivedAt), SpoolJsonContext.Default.SpoolRecord);

        var loaded = EnvelopeMapper.ToEnvelope(JsonSerializer.Deserialize(json, SpoolJsonContext.Default.SpoolRecord)!);

        Assert.DoesNotContain("deliverBy", json, StringComparison.Ordinal);
        Assert.Null(loaded.DeliverBy);
    }
}
