using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Tests.Queue;

/// <summary>QUARANTINE in the spool: the message is committed on hold with its reason, never visible un-held.</summary>
public sealed class SpoolQuarantineTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    private QueueOptions Options => TestMessages.Options(_directory);

    private static Envelope Quarantined(string reason) => TestMessages.Envelope("bob@example.net") with { QuarantineReason = reason };

    [Fact]
    public async Task A_quarantined_envelope_is_committed_with_its_hold_marker_and_reason()
    {
        var spool = TestMessages.Spool(_directory, _clock);

        var id = await TestMessages.CommitAsync(spool, Quarantined("spam score 12"), TestMessages.Body());

        Assert.Equal([id + ".hold", id + ".msg"], TempSpoolDirectory.Names(_directory.Queue));
        Assert.Equal("spam score 12\n", await File.ReadAllTextAsync(Path.Combine(_directory.Queue, id + ".hold")));
        var info = await spool.Inspection.TryGetAsync(id, CancellationToken.None);
        Assert.NotNull(info);
        Assert.True(info.Held);
        Assert.Equal("spam score 12", info.QuarantineReason);
        Assert.Equal("spam score 12", info.Envelope.QuarantineReason);
        Assert.Contains("\"quarantineReason\":\"spam score 12\"", await File.ReadAllTextAsync(Path.Combine(_directory.Queue, id + ".msg")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reason_given_at_commit_holds_the_message_too()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        QueueId id;
        await using (var writer = await spool.BeginMessageAsync(TestMessages.Envelope("bob@example.net"), CancellationToken.None))
        {
            id = writer.Id;
            await writer.Body.WriteAsync(TestMessages.Body());
            await writer.CommitAsync("end-of-data check", CancellationToken.None);
        }

        var info = await spool.Inspection.TryGetAsync(id, CancellationToken.None);

        Assert.NotNull(info);
        Assert.True(info.Held);
        Assert.Equal("end-of-data check", info.QuarantineReason);
        Assert.Null(info.Envelope.QuarantineReason);
    }

    [Fact]
    public async Task A_message_without_quarantine_has_no_marker_and_the_same_envelope_line_as_before()
    {
        var spool = TestMessages.Spool(_directory, _clock);

        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());

        Assert.Equal([id + ".msg"], TempSpoolDirectory.Names(_directory.Queue));
        var text = await File.ReadAllTextAsync(Path.Combine(_directory.Queue, id + ".msg"));
        Assert.StartsWith("POSTERN-SPOOL 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("quarantine", text, StringComparison.OrdinalIgnoreCase);
        Assert.Null((await spool.Inspection.TryGetAsync(id, CancellationToken.None))!.QuarantineReason);
    }

    [Fact]
    public async Task When_the_marker_cannot_be_made_the_message_never_reaches_the_queue()
    {
        var committed = new CommittedMessages();
        var spool = TestMessages.Spool(_directory, _clock, committed);
        await using var writer = await spool.BeginMessageAsync(Quarantined("held"), CancellationToken.None);
        await writer.Body.WriteAsync(TestMessages.Body());
        // A directory where the marker should go: creating the marker fails.
        Directory.CreateDirectory(Path.Combine(_directory.Queue, writer.Id + ".hold"));

        await Assert.ThrowsAnyAsync<IOException>(async () => await writer.CommitAsync(CancellationToken.None));

        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.False(committed.Reader.TryRead(out _));
    }

    [Fact]
    public async Task When_the_rename_fails_the_marker_is_taken_back()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        await using var writer = await spool.BeginMessageAsync(Quarantined("held"), CancellationToken.None);
        await writer.Body.WriteAsync(TestMessages.Body());
        // Something in the way of the rename (overwrite is never allowed).
        Directory.CreateDirectory(Path.Combine(_directory.Queue, writer.Id + ".msg"));

        await Assert.ThrowsAnyAsync<IOException>(async () => await writer.CommitAsync(CancellationToken.None));

        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
    }

    [Fact]
    public async Task Recovery_leaves_the_marker_of_a_message_still_being_committed()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        await using var writer = await spool.BeginMessageAsync(TestMessages.Envelope("bob@example.net"), CancellationToken.None);
        await writer.Body.WriteAsync(TestMessages.Body());
        // The state between "marker durable" and "message renamed in", as a concurrent recovery sees it.
        spool.Holds.PlaceDurably(writer.Id, "held");

        await spool.Recovery.RecoverAsync(CancellationToken.None);

        Assert.Equal([writer.Id + ".hold"], TempSpoolDirectory.Names(_directory.Queue));
        await writer.CommitAsync("held", CancellationToken.None);
        Assert.True((await spool.Inspection.TryGetAsync(writer.Id, CancellationToken.None))!.Held);
    }

    [Fact]
    public async Task After_a_crash_before_the_rename_recovery_removes_both_files()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = QueueId.New(_clock);
        // What a crash between marker and rename leaves: a temp file nobody writes and a marker.
        await File.WriteAllTextAsync(Path.Combine(_directory.Tmp, id + ".msg"), "POSTERN-SPOOL 1\n{}");
        spool.Holds.PlaceDurably(id, "held");

        var recovered = await TestMessages.Spool(_directory, _clock).Recovery.RecoverAsync(CancellationToken.None);

        Assert.Empty(recovered);
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
    }

    [Fact]
    public async Task The_runner_never_attempts_a_quarantined_message_until_it_is_released()
    {
        await using var harness = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));

        var id = await TestMessages.CommitAsync(harness.Spool, Quarantined("review"), TestMessages.Body());

        Assert.Equal((id, AttemptResult.Held), await harness.NextAttemptAsync());
        Assert.False(harness.Transport.Calls.Reader.TryPeek(out _));
        Assert.Equal(0, await harness.Runner.FlushAsync(null, CancellationToken.None));

        Assert.True(harness.Spool.Control.ReleaseHold(id));
        var released = await harness.Spool.Inspection.TryGetAsync(id, CancellationToken.None);
        Assert.False(released!.Held);
        Assert.Null(released.QuarantineReason);
        harness.Runner.Rescan();

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task A_quarantined_message_stays_held_across_a_restart()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, Quarantined("review"), TestMessages.Body());

        await using var harness = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));

        Assert.Equal((id, AttemptResult.Held), await harness.NextAttemptAsync());
        Assert.Equal("review", (await harness.Spool.Inspection.TryGetAsync(id, CancellationToken.None))!.QuarantineReason);
    }

    [Fact]
    public async Task A_reason_with_line_breaks_is_kept_on_one_line()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        QueueId id;
        await using (var writer = await spool.BeginMessageAsync(TestMessages.Envelope("bob@example.net"), CancellationToken.None))
        {
            id = writer.Id;
            await writer.Body.WriteAsync(Encoding.ASCII.GetBytes("x\r\n"));
            await writer.CommitAsync("bad\r\nQUEUE ID forged", CancellationToken.None);
        }

        Assert.Equal("bad  QUEUE ID forged", (await spool.Inspection.TryGetAsync(id, CancellationToken.None))!.QuarantineReason);
    }

    [Fact]
    public async Task Hold_by_hand_has_no_quarantine_reason()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());

        Assert.True(spool.Control.Hold(id));

        var info = await spool.Inspection.TryGetAsync(id, CancellationToken.None);
        Assert.True(info!.Held);
        Assert.Null(info.QuarantineReason);
    }
}
