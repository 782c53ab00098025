using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Tests.Core.IO;
using Postern.Queue.Maildrop;

namespace Postern.Tests.Queue.Maildrop;

/// <summary>The maildrop: a submitter's file goes into the spool once complete, and anything else never does.</summary>
public sealed class MaildropPickupTests : IDisposable
{
    private readonly TempSpoolDirectory _spoolDirectory = new();
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("postern-maildrop-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Policy _policy = new();
    private readonly Spool _spool;
    private readonly string _maildrop;

    public MaildropPickupTests()
    {
        _spool = TestMessages.Spool(_spoolDirectory, _clock);
        _maildrop = Postern.Queue.Maildrop.Maildrop.PathIn(_data.FullName);
        Postern.Queue.Maildrop.Maildrop.EnsureCreated(_maildrop);
    }

    public void Dispose()
    {
        _spoolDirectory.Dispose();
        _data.Delete(recursive: true);
    }

    [Fact]
    public void The_directory_lets_anyone_create_but_nobody_list()
    {
        Assert.Equal(Postern.Queue.Maildrop.Maildrop.DirectoryMode, File.GetUnixFileMode(_maildrop));
        Assert.Equal((UnixFileMode)0b1_111_011_011, File.GetUnixFileMode(_maildrop));
    }

    [Fact]
    public async Task A_committed_submission_is_queued_with_the_trace_header_and_removed()
    {
        var envelope = TestMessages.Envelope("bob@example.net", "carol@example.net") with { QuarantineReason = "submitter's wish" };
        await DropAsync(envelope, "Subject: hi\r\n\r\nHello\r\n");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Directory.GetFiles(_maildrop).Single()));

        using var pickup = Pickup();
        Assert.Equal(1, await pickup.PickUpAsync(CancellationToken.None));

        Assert.Empty(Directory.GetFiles(_maildrop));
        var id = Assert.Single(_spool.Inspection.Scan());
        var entry = _spool.Reader.Load(id)!;
        Assert.Equal(envelope.Recipients, entry.Message.Envelope.Recipients);
        Assert.Equal(envelope.Sender, entry.Message.Envelope.Sender);
        Assert.Equal(new ClientInfo(null, null, "local", "pickup"), entry.Message.Envelope.Client);
        Assert.False(_spool.Inspection.IsHeld(id));
        await using var body = entry.Message.OpenBody();
        var text = await new StreamReader(body).ReadToEndAsync();
        Assert.Equal($"Received: from userid {CurrentUser.Id} by test id {id}\r\nSubject: hi\r\n\r\nHello\r\n", text);
    }

    [Fact]
    public async Task The_log_line_of_a_pickup_names_the_id_the_submitter_was_told_beside_the_queue_id()
    {
        QueueId told;
        await using (var writer = await Postern.Queue.Maildrop.Maildrop.BeginMessageAsync(_maildrop, TestMessages.Envelope("bob@example.net"), _clock, CancellationToken.None))
        {
            told = writer.Id;
            await writer.Body.WriteAsync(TestMessages.Body());
            await writer.CommitAsync(CancellationToken.None);
        }
        var logger = new Pki.Tls.CollectingLogger();

        using var pickup = new MaildropPickup(_spool, _maildrop, 10_000_000, _policy, _clock, new TypedLogger<MaildropPickup>(logger));
        Assert.Equal(1, await pickup.PickUpAsync(CancellationToken.None));

        var queued = Assert.Single(_spool.Inspection.Scan());
        Assert.NotEqual(told, queued);
        Assert.Contains(logger.Messages, m => m.StartsWith($"{queued.Value}: from maildrop, submitted as {told.Value}, ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_submission_still_being_written_is_left_alone()
    {
        await using var writer = await Postern.Queue.Maildrop.Maildrop.BeginMessageAsync(_maildrop, TestMessages.Envelope("bob@example.net"), _clock, CancellationToken.None);
        await writer.Body.WriteAsync(TestMessages.Body());

        using var pickup = Pickup();
        Assert.Equal(0, await pickup.PickUpAsync(CancellationToken.None));

        Assert.Single(Directory.GetFiles(_maildrop));
        Assert.Empty(_spool.Inspection.Scan());
        Assert.Empty(TempSpoolDirectory.Names(_spoolDirectory.Corrupt));
    }

    [Fact]
    public async Task An_abandoned_submission_is_removed_without_being_queued()
    {
        IMessageWriter writer = await Postern.Queue.Maildrop.Maildrop.BeginMessageAsync(_maildrop, TestMessages.Envelope("bob@example.net"), _clock, CancellationToken.None);
        await writer.Body.WriteAsync(TestMessages.Body());
        await writer.Body.FlushAsync();
        var path = Directory.GetFiles(_maildrop).Single();
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        _clock.Advance(MaildropPickup.AbandonedAfter + TimeSpan.FromHours(1));

        using var pickup = Pickup();
        Assert.Equal(0, await pickup.PickUpAsync(CancellationToken.None));
        await writer.DisposeAsync();

        Assert.Empty(_spool.Inspection.Scan());
        Assert.Empty(Directory.GetFiles(_maildrop));
    }

    [Fact]
    public async Task A_forged_file_opened_to_the_daemon_goes_to_corrupt()
    {
        var name = new string('F', Postern.Queue.Maildrop.Maildrop.NameLength);
        var path = Path.Combine(_maildrop, name);
        await File.WriteAllTextAsync(path, "POSTERN-SPOOL 1\n{\"recipients\":[]}\nno trailer");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        using var pickup = Pickup();
        Assert.Equal(0, await pickup.PickUpAsync(CancellationToken.None));

        Assert.Empty(_spool.Inspection.Scan());
        Assert.Equal(["maildrop-" + name], TempSpoolDirectory.Names(_spoolDirectory.Corrupt));
    }

    [Fact]
    public async Task A_submission_the_policy_refuses_goes_to_corrupt_and_is_not_queued()
    {
        _policy.Refuse = "<a%b@far.example>: '%', '!' or '@' in the local part never route mail";
        await DropAsync(TestMessages.Envelope("a%b@far.example"), "Subject: trick\r\n\r\nx\r\n");

        using var pickup = Pickup();
        Assert.Equal(0, await pickup.PickUpAsync(CancellationToken.None));

        Assert.Empty(_spool.Inspection.Scan());
        Assert.Empty(Directory.GetFiles(_maildrop));
        Assert.Single(TempSpoolDirectory.Names(_spoolDirectory.Corrupt));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_not_queued()
    {
        await DropAsync(TestMessages.Envelope("bob@example.net"), "Subject: big\r\n\r\n" + new string('x', 2000) + "\r\n");

        using var pickup = new MaildropPickup(_spool, _maildrop, 1000, _policy, _clock, NullLogger<MaildropPickup>.Instance);
        Assert.Equal(0, await pickup.PickUpAsync(CancellationToken.None));

        Assert.Empty(_spool.Inspection.Scan());
        Assert.Single(TempSpoolDirectory.Names(_spoolDirectory.Corrupt));
    }

    [Fact]
    public async Task A_symlink_planted_in_the_maildrop_is_removed_and_its_target_never_read()
    {
        var secret = Path.Combine(_data.FullName, "secret");
        await DropAsync(TestMessages.Envelope("bob@example.net"), "Subject: bait\r\n\r\nx\r\n");
        File.Move(Directory.GetFiles(_maildrop).Single(), secret);
        File.CreateSymbolicLink(Path.Combine(_maildrop, new string('L', Postern.Queue.Maildrop.Maildrop.NameLength)), secret);

        using var pickup = Pickup();
        Assert.Equal(0, await pickup.PickUpAsync(CancellationToken.None));

        Assert.Empty(_spool.Inspection.Scan());
        Assert.Empty(Directory.GetFileSystemEntries(_maildrop));
        Assert.True(File.Exists(secret));
    }

    [Fact]
    public async Task Names_a_submitter_could_not_have_made_are_ignored()
    {
        var odd = Path.Combine(_maildrop, ".partial");
        await File.WriteAllTextAsync(odd, "x");

        using var pickup = Pickup();
        Assert.Equal(0, await pickup.PickUpAsync(CancellationToken.None));

        Assert.True(File.Exists(odd));
    }

    private MaildropPickup Pickup() => new(_spool, _maildrop, 10_000_000, _policy, _clock, NullLogger<MaildropPickup>.Instance);

    private async Task DropAsync(Envelope envelope, string message)
    {
        await using var writer = await Postern.Queue.Maildrop.Maildrop.BeginMessageAsync(_maildrop, envelope, _clock, CancellationToken.None);
        await writer.Body.WriteAsync(Encoding.UTF8.GetBytes(message));
        await writer.CommitAsync(CancellationToken.None);
    }


    private sealed class Policy : IMaildropPolicy
    {
        public string? Refuse { get; set; }

        public string? Refusal(Envelope envelope) => Refuse;

        public string TraceHeader(uint userId, QueueId id, Envelope envelope) => $"Received: from userid {userId} by test id {id}\r\n";

        public string UserName(uint userId) => "user" + userId;
    }

    private sealed class TypedLogger<T>(Microsoft.Extensions.Logging.ILogger inner) : Microsoft.Extensions.Logging.ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
