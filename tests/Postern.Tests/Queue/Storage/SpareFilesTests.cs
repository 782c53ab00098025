using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue.Storage;

/// <summary>Removed messages' files reused for new ones: never a byte of the old message, nothing left after a crash.</summary>
public sealed class SpareFilesTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_removed_message_leaves_queue_and_its_file_waits_empty_in_tmp()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());

        await spool.Store.RemoveAsync(id);

        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        var spare = Assert.Single(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.EndsWith(SpareFiles.Extension, spare, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(Path.Combine(_directory.Tmp, spare)).Length);
        Assert.Equal(1, spool.Spares.Count);
        Assert.Null(spool.Reader.Load(id));
    }

    [Fact]
    public async Task A_new_message_takes_the_spare_and_holds_only_its_own_bytes()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var big = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body("Subject: big\r\n\r\n" + new string('x', 100_000) + "\r\n"));
        await spool.Store.RemoveAsync(big);

        var small = await TestMessages.CommitAsync(spool, TestMessages.Envelope("carol@example.net"), TestMessages.Body("Subject: small\r\n\r\nhi\r\n"));

        Assert.Equal(0, spool.Spares.Count);
        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.Equal([small + ".msg"], TempSpoolDirectory.Names(_directory.Queue));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory.Queue, small + ".msg")));
        var entry = spool.Reader.Load(small)!;
        await using var body = entry.Message.OpenBody();
        using var reader = new StreamReader(body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        Assert.EndsWith("Subject: small\r\n\r\nhi\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxx", text, StringComparison.Ordinal);
        Assert.Equal(small, (await TestMessages.Spool(_directory, _clock).Recovery.RecoverAsync(CancellationToken.None)).Single());
    }

    [Fact]
    public async Task Recovery_deletes_spares_and_the_spool_then_creates_files_again()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var kept = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        var removed = await TestMessages.CommitAsync(spool, TestMessages.Envelope("carol@example.net"), TestMessages.Body());
        await spool.Store.RemoveAsync(removed);

        // A restart after a crash: spares are tmp/ files like any unfinished message.
        var restarted = TestMessages.Spool(_directory, _clock);
        Assert.Equal([kept], await restarted.Recovery.RecoverAsync(CancellationToken.None));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));

        // The first spool's spare is gone under it: it creates a file instead.
        var next = await TestMessages.CommitAsync(spool, TestMessages.Envelope("dave@example.net"), TestMessages.Body());
        Assert.Equal(0, spool.Spares.Count);
        Assert.NotNull(spool.Reader.Load(next));
        Assert.Equal(new[] { kept + ".msg", next + ".msg" }.Order(StringComparer.Ordinal), TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task An_aborted_message_in_a_spare_leaves_nothing()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        await spool.Store.RemoveAsync(id);

        await using (var writer = await spool.BeginMessageAsync(TestMessages.Envelope("carol@example.net"), CancellationToken.None))
        {
            await writer.Body.WriteAsync(TestMessages.Body());
        }

        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public void Beyond_the_capacity_a_removed_file_is_unlinked()
    {
        Directory.CreateDirectory(_directory.Tmp);
        Directory.CreateDirectory(_directory.Queue);
        var spares = new SpareFiles(_directory.Tmp, capacity: 1);
        var first = Path.Combine(_directory.Queue, "a.msg");
        var second = Path.Combine(_directory.Queue, "b.msg");
        File.WriteAllText(first, "one");
        File.WriteAllText(second, "two");

        spares.Recycle(first);
        spares.Recycle(second);
        spares.Recycle(Path.Combine(_directory.Queue, "gone.msg"));

        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        Assert.Single(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.Equal(1, spares.Count);
        Assert.True(spares.TryTake(Path.Combine(_directory.Tmp, "new.msg")));
        Assert.Equal(0, new FileInfo(Path.Combine(_directory.Tmp, "new.msg")).Length);
        Assert.False(spares.TryTake(Path.Combine(_directory.Tmp, "other.msg")));
    }
}
