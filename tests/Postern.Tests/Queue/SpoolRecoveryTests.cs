using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue;

public sealed class SpoolRecoveryTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> Damages => ["truncated", "cut-in-header", "wrong-version", "garbage", "no-trailer", "bad-length", "empty", "bad-json", "no-recipients"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_file_is_moved_to_corrupt_and_good_ones_are_kept(string damage)
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var good = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        var bad = await TestMessages.CommitAsync(spool, TestMessages.Envelope("carol@example.net"), TestMessages.Body());
        var badPath = Path.Combine(_directory.Queue, bad + ".msg");
        spool.Journal.Append(bad, [new JournalEntry { Recipient = 0, Kind = JournalKind.Delivered }]);
        Damage(badPath, damage);

        var recovered = await TestMessages.Spool(_directory, _clock).Recovery.RecoverAsync(CancellationToken.None);

        Assert.Equal([good], recovered);
        Assert.Equal([good + ".msg"], TempSpoolDirectory.Names(_directory.Queue));
        Assert.Equal([bad + ".msg", bad + ".rcpt"], TempSpoolDirectory.Names(_directory.Corrupt));
    }

    [Fact]
    public async Task Recovery_removes_unfinished_temp_files_and_orphan_journals_but_not_files_being_written()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var good = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        await File.WriteAllTextAsync(Path.Combine(_directory.Tmp, "0000000000000000.msg"), "POSTERN-SPOOL 1\n{");
        var orphan = QueueId.New(_clock);
        await File.WriteAllTextAsync(Path.Combine(_directory.Queue, orphan + ".rcpt"), "");
        await using var inProgress = await spool.BeginMessageAsync(TestMessages.Envelope("carol@example.net"), CancellationToken.None);

        var recovered = await spool.Recovery.RecoverAsync(CancellationToken.None);

        Assert.Equal([good], recovered);
        Assert.Equal([inProgress.Id + ".msg"], TempSpoolDirectory.Names(_directory.Tmp));
        Assert.Equal([good + ".msg"], TempSpoolDirectory.Names(_directory.Queue));
        await inProgress.Body.WriteAsync(TestMessages.Body());
        await inProgress.CommitAsync(CancellationToken.None);
        Assert.NotNull(spool.Reader.Load(inProgress.Id));
    }

    [Fact]
    public async Task Files_with_names_that_are_not_queue_ids_are_left_alone()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var good = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        string[] strays = ["README", "..msg", "short.msg", "ABCDEFGHIJKLMNO-.msg", "ABCDEFGHIJKLMNOPQ.msg", "ABCDEFGHIJKLMNOP.txt", "ABCDEFGHIJKLMNOP.msg.bak"];
        foreach (var stray in strays)
        {
            await File.WriteAllTextAsync(Path.Combine(_directory.Queue, stray), "garbage");
        }

        var recovered = await TestMessages.Spool(_directory, _clock).Recovery.RecoverAsync(CancellationToken.None);

        Assert.Equal([good], recovered);
        Assert.Equal([.. strays.Append(good + ".msg").Order(StringComparer.Ordinal)], TempSpoolDirectory.Names(_directory.Queue));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Corrupt));
    }

    [Fact]
    public async Task A_file_damaged_after_recovery_is_moved_aside_when_loaded()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        Damage(Path.Combine(_directory.Queue, id + ".msg"), "truncated");

        Assert.Null(spool.Reader.Load(id));
        Assert.Equal([id + ".msg"], TempSpoolDirectory.Names(_directory.Corrupt));
    }

    private static void Damage(string path, string damage)
    {
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes);
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(path, bytes[..^5]);
                break;
            case "cut-in-header":
                File.WriteAllBytes(path, bytes[..30]);
                break;
            case "wrong-version":
                File.WriteAllText(path, text.Replace("POSTERN-SPOOL 1\n", "POSTERN-SPOOL 2\n", StringComparison.Ordinal));
                break;
            case "garbage":
                File.WriteAllBytes(path, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))]);
                break;
            case "no-trailer":
                File.WriteAllText(path, text[..text.LastIndexOf("\nPOSTERN-END", StringComparison.Ordinal)]);
                break;
            case "bad-length":
                File.WriteAllText(path, text.Replace("\nPOSTERN-END ", "\nPOSTERN-END 1", StringComparison.Ordinal));
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "bad-json":
                File.WriteAllText(path, text.Replace("\"recipients\"", "\"recipients\" x", StringComparison.Ordinal));
                break;
            case "no-recipients":
                var start = text.IndexOf("\"recipients\":[", StringComparison.Ordinal) + "\"recipients\":[".Length;
                var end = text.IndexOf(']', start);
                File.WriteAllText(path, text[..start] + text[end..]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage));
        }
    }
}
