using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue;

public sealed class SpoolTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Commit_then_load_gives_back_the_same_envelope_and_bytes()
    {
        var committed = new CommittedMessages();
        var spool = TestMessages.Spool(_directory, _clock, committed);
        var envelope = new Envelope
        {
            Sender = new Mailbox("jöe \"q\"", "bücher.example"),
            Recipients =
            [
                new EnvelopeRecipient(new Mailbox("bob", "example.net"), DsnNotify.Success | DsnNotify.Failure, "rfc822;bob@example.net"),
                new EnvelopeRecipient(new Mailbox("carol", "[192.0.2.1]"), DsnNotify.Never),
                new EnvelopeRecipient(new Mailbox("bob", "example.net")),
            ],
            Body = BodyType.EightBitMime,
            SmtpUtf8 = true,
            Return = DsnReturn.Headers,
            EnvelopeId = "QQ314159",
            AuthParameter = "<alice@example.org>",
            DeliverBy = new DeliverBy(new DateTimeOffset(2024, 5, 1, 0, 4, 58, TimeSpan.FromHours(2)), DeliverByMode.Notify, true),
            Client = new ClientInfo(IPAddress.Parse("2001:db8::25"), "mx.example.org", "ESMTPSA", "MSA", "alice"),
            ReceivedAt = new DateTimeOffset(2024, 4, 30, 23, 59, 58, TimeSpan.FromHours(2)),
        };
        // Random bytes with something that looks like a trailer inside and CRLFs.
        var body = new byte[300_000];
        new Random(42).NextBytes(body);
        Encoding.ASCII.GetBytes("\nPOSTERN-END 12\n").CopyTo(body, 1000);
        Encoding.ASCII.GetBytes("\r\n.\r\n").CopyTo(body, body.Length - 5);

        QueueId id;
        await using (var writer = await spool.BeginMessageAsync(envelope, CancellationToken.None))
        {
            id = writer.Id;
            await writer.Body.WriteAsync(body.AsMemory(0, 70_000));
            writer.Body.Write(body.AsSpan(70_000, 1));
            await writer.Body.WriteAsync(body.AsMemory(70_001));
            await writer.CommitAsync(CancellationToken.None);
        }

        Assert.Equal([id + ".msg"], TempSpoolDirectory.Names(_directory.Queue));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.True(committed.Reader.TryRead(out var signalled));
        Assert.Equal(id, signalled);

        var entry = TestMessages.Spool(_directory, _clock).Reader.Load(id);
        Assert.NotNull(entry);
        var loaded = entry.Message.Envelope;
        Assert.Equal(envelope.Recipients, loaded.Recipients);
        Assert.Equal(envelope with { Recipients = loaded.Recipients }, loaded);
        Assert.Equal(_clock.GetUtcNow(), entry.QueuedAt);
        Assert.Equal(body.Length, entry.Message.BodyLength);
        await using var stream = entry.Message.OpenBody();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }

    [Fact]
    public async Task Null_sender_local_client_and_empty_body_round_trip()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var envelope = TestMessages.Envelope("bob@example.net") with
        {
            Sender = null,
            Client = new ClientInfo(null, null, "LOCAL", "local"),
        };
        var id = await TestMessages.CommitAsync(spool, envelope, []);

        var entry = spool.Reader.Load(id);

        Assert.NotNull(entry);
        Assert.Equal(envelope with { Recipients = entry.Message.Envelope.Recipients }, entry.Message.Envelope);
        Assert.Equal(0, entry.Message.BodyLength);
        await using var stream = entry.Message.OpenBody();
        Assert.Equal(-1, stream.ReadByte());
    }

    [Fact]
    public async Task Body_stream_is_bounded_and_seekable()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), Encoding.ASCII.GetBytes("0123456789"));
        var entry = spool.Reader.Load(id)!;

        await using var stream = entry.Message.OpenBody();
        stream.Position = 7;
        var buffer = new byte[100];
        var read = await stream.ReadAsync(buffer);

        Assert.Equal(10, stream.Length);
        Assert.Equal("789", Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task Dispose_without_commit_leaves_nothing()
    {
        var committed = new CommittedMessages();
        var spool = TestMessages.Spool(_directory, _clock, committed);
        await using (var writer = await spool.BeginMessageAsync(TestMessages.Envelope("bob@example.net"), CancellationToken.None))
        {
            await writer.Body.WriteAsync(TestMessages.Body());
            Assert.Single(TempSpoolDirectory.Names(_directory.Tmp));
        }

        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        Assert.False(committed.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_and_cannot_be_committed()
    {
        var committed = new CommittedMessages();
        var spool = TestMessages.Spool(_directory, _clock, committed, s => new FaultyStream(s, failAfter: 2000));
        var writer = await spool.BeginMessageAsync(TestMessages.Envelope("bob@example.net"), CancellationToken.None);
        await using (writer)
        {
            await Assert.ThrowsAsync<IOException>(async () =>
            {
                for (var i = 0; i < 100; i++)
                {
                    await writer.Body.WriteAsync(new byte[100]);
                }
            });
            await Assert.ThrowsAsync<IOException>(() => writer.CommitAsync(CancellationToken.None).AsTask());
        }

        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        Assert.False(committed.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_failure_while_committing_leaves_nothing()
    {
        var spool = TestMessages.Spool(_directory, _clock, new CommittedMessages(), s => new FaultyStream(s, long.MaxValue, failFlush: true));
        var writer = await spool.BeginMessageAsync(TestMessages.Envelope("bob@example.net"), CancellationToken.None);
        await using (writer)
        {
            await writer.Body.WriteAsync(TestMessages.Body());
            await Assert.ThrowsAsync<IOException>(() => writer.CommitAsync(CancellationToken.None).AsTask());
        }

        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task Spool_directories_are_private()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());

        var directoryMode = File.GetUnixFileMode(_directory.Queue);
        var fileMode = File.GetUnixFileMode(Path.Combine(_directory.Queue, id + ".msg"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, directoryMode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, fileMode);
    }

    [Fact]
    public async Task List_shows_pending_recipients_size_and_age()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net", "carol@example.net"), TestMessages.Body("x\r\n"));
        spool.Journal.Append(id, [new JournalEntry { Recipient = 0, Kind = JournalKind.Delivered }]);
        _clock.Advance(TimeSpan.FromMinutes(3));

        var entry = Assert.Single(await spool.Inspection.ListAsync(CancellationToken.None));

        Assert.Equal(id, entry.Id);
        Assert.Equal(new Mailbox("alice", "example.org"), entry.Sender);
        Assert.Equal(2, entry.RecipientCount);
        Assert.Equal(3, entry.Size);
        Assert.Equal(TimeSpan.FromMinutes(3), entry.Age);
        Assert.Equal([new Mailbox("carol", "example.net")], entry.PendingRecipients);
    }
}
