using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Queue;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue;

public sealed class SpoolInspectTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Opening_a_spool_that_does_not_exist_creates_nothing()
    {
        var spool = Spool.OpenExisting(TestMessages.Options(_directory), _clock, NullLogger<Spool>.Instance);

        Assert.Null(spool);
        Assert.False(Directory.Exists(_directory.Path));
    }

    [Fact]
    public async Task Inspect_gives_each_recipient_its_state_and_recorded_reply()
    {
        var writer = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(writer, TestMessages.Envelope("bob@example.net", "carol@example.net", "dave@example.net"), TestMessages.Body());
        var envelope = TestMessages.Envelope("bob@example.net", "carol@example.net", "dave@example.net");
        var failed = new RecipientOutcome(envelope.Recipients[1], DeliveryStatus.Failed, new SmtpReply(550, "5.1.1", "User unknown"), "esmtp", "mx.example.net");
        var delivered = new RecipientOutcome(envelope.Recipients[2], DeliveryStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"), "local", "maildir");
        writer.Journal.Append(id, [SpoolEntry.ToJournal(1, failed, _clock.GetUtcNow()), SpoolEntry.ToJournal(2, delivered, _clock.GetUtcNow())]);

        var reader = Spool.OpenExisting(TestMessages.Options(_directory), _clock, NullLogger<Spool>.Instance)!;
        var messages = await reader.Inspection.InspectAsync(CancellationToken.None);
        var message = Assert.Single(messages);
        var single = await reader.Inspection.TryGetAsync(id, CancellationToken.None);

        Assert.Equal(id, message.Id);
        Assert.Equal(TestMessages.Body().Length, message.Size);
        Assert.Equal([QueueRecipientState.Pending, QueueRecipientState.Failed, QueueRecipientState.Delivered], message.Recipients.Select(r => r.State));
        Assert.Null(message.Recipients[0].LastReply);
        Assert.Equal("550 5.1.1 User unknown", message.Recipients[1].LastReply?.ToString());
        Assert.Equal(250, message.Recipients[2].LastReply?.Code);
        Assert.NotNull(single);
        Assert.Equal(message.Recipients.Select(r => r.State), single!.Recipients.Select(r => r.State));
        await using var body = single.OpenBody();
        using var text = new StreamReader(body);
        Assert.StartsWith("Subject: hi", await text.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_leaves_temp_files_and_broken_messages_where_they_are()
    {
        var writer = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(writer, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        var unfinished = Path.Combine(_directory.Tmp, "0000000000000001.msg");
        await File.WriteAllTextAsync(unfinished, "POSTERN-SPOOL 1\n{");
        var broken = Path.Combine(_directory.Queue, "0000000000000002.msg");
        await File.WriteAllTextAsync(broken, "not a spool file\n");

        var reader = Spool.OpenExisting(TestMessages.Options(_directory), _clock, NullLogger<Spool>.Instance)!;
        var messages = await reader.Inspection.InspectAsync(CancellationToken.None);
        var missing = await reader.Inspection.TryGetAsync(QueueId.Parse("0000000000000002"), CancellationToken.None);
        var unknown = await reader.Inspection.TryGetAsync(QueueId.Parse("ZZZZZZZZZZZZZZZZ"), CancellationToken.None);

        Assert.Equal([id], messages.Select(m => m.Id));
        Assert.Null(missing);
        Assert.Null(unknown);
        Assert.True(File.Exists(unfinished));
        Assert.True(File.Exists(broken));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Corrupt));
    }
}
