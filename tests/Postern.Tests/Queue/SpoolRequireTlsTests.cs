using System.Text.Json;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue;

public sealed class SpoolRequireTlsTests
{
    // An envelope line exactly as versions before REQUIRETLS wrote it.
    private const string OlderLine =
        """{"queuedAt":"2026-11-23T15:22:19+00:00","sender":{"localPart":"alice","domain":"example.org"},"recipients":[{"address":{"localPart":"bob","domain":"example.net"},"notify":"None"}],"body":"SevenBit","smtpUtf8":false,"return":"Unspecified","client":{"address":"127.0.0.1","heloName":"c","protocol":"ESMTPS","listenerName":"mta"},"receivedAt":"2026-11-23T15:22:19+00:00"}""";

    [Fact]
    public void A_requiretls_message_keeps_the_requirement_across_the_json_line()
    {
        var envelope = TestMessages.Envelope("bob@example.net") with { RequireTls = true };

        var json = JsonSerializer.Serialize(EnvelopeMapper.ToRecord(envelope, envelope.ReceivedAt), SpoolJsonContext.Default.SpoolRecord);
        var loaded = EnvelopeMapper.ToEnvelope(JsonSerializer.Deserialize(json, SpoolJsonContext.Default.SpoolRecord)!);

        Assert.Contains("\"requireTls\":true", json, StringComparison.Ordinal);
        Assert.True(loaded.RequireTls);
    }

    [Fact]
    public void Other_messages_write_the_line_as_before()
    {
        var envelope = TestMessages.Envelope("bob@example.net");

        var json = JsonSerializer.Serialize(EnvelopeMapper.ToRecord(envelope, envelope.ReceivedAt), SpoolJsonContext.Default.SpoolRecord);

        Assert.DoesNotContain("requireTls", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_written_before_requiretls_loads_without_the_requirement()
    {
        var loaded = EnvelopeMapper.ToEnvelope(JsonSerializer.Deserialize(OlderLine, SpoolJsonContext.Default.SpoolRecord)!);

        Assert.False(loaded.RequireTls);
        Assert.Equal("bob@example.net", loaded.Recipients[0].Address.ToString());
    }
}
