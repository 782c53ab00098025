using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Delivery.Aliases;
using Postern.Delivery.Local;

namespace Postern.Tests.Delivery.Local;

public sealed class LocalTransportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string MailboxRoot => _temp.Combine("mail");

    private LocalRecipientDirectory Directory(string aliases = "", bool allowPipes = false, bool allowFiles = false, string? mailboxRoot = null)
    {
        var options = new LocalDeliveryOptions
        {
            Domains = ["example.org"],
            Users = ["alice", "bob"],
            MailboxRoot = mailboxRoot ?? MailboxRoot,
            AllowPipeAliases = allowPipes,
            AllowFileAliases = allowFiles,
        };
        var file = aliases.Length == 0 ? null : AliasesFile.Parse(Encoding.UTF8.GetBytes(aliases), "aliases", allowPipes, allowFiles);
        return new LocalRecipientDirectory(options, file);
    }

    private static LocalTransport Transport(LocalRecipientDirectory directory, TimeProvider? time = null) =>
        new(() => directory, "mx.example.org", time ?? TimeProvider.System, NullLogger<LocalTransport>.Instance);

    private static async Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(LocalTransport transport, QueuedMessage message) =>
        await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

    private string[] NewFiles(string user) =>
        System.IO.Directory.Exists(Path.Combine(MailboxRoot, user, "new"))
            ? System.IO.Directory.GetFiles(Path.Combine(MailboxRoot, user, "new"))
            : [];

    private static byte[] Expected(string header) => Encoding.ASCII.GetBytes(header).Concat(TestMessages.Body).ToArray();

    [Fact]
    public async Task A_user_gets_the_message_in_its_maildir_with_return_path_and_delivered_to()
    {
        var message = TestMessages.Create([TestMessages.Recipient("Alice@Example.ORG")]);

        var outcome = Assert.Single(await DeliverAsync(Transport(Directory()), message));

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Equal("250 2.0.0 Delivered to Maildir", outcome.Reply.ToString());
        Assert.Equal("local", outcome.Mailer);
        Assert.Equal("alice", outcome.Relay);
        Assert.Same(message.Envelope.Recipients[0], outcome.Recipient);
        var file = Assert.Single(NewFiles("alice"));
        Assert.StartsWith("1700000000.0123456789ABCDEF_0.mx.example.org,S=", Path.GetFileName(file), StringComparison.Ordinal);
        Assert.Equal(Expected("Return-Path: <sender@remote.test>\r\nDelivered-To: alice@example.org\r\n"), await File.ReadAllBytesAsync(file));
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(MailboxRoot, "alice", "tmp")));
    }

    [Fact]
    public async Task The_null_sender_becomes_an_empty_return_path()
    {
        var message = TestMessages.Create([TestMessages.Recipient("bob+tag@example.org")], nullSender: true);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await DeliverAsync(Transport(Directory()), message)).Status);

        Assert.Equal(Expected("Return-Path: <>\r\nDelivered-To: bob@example.org\r\n"), await File.ReadAllBytesAsync(Assert.Single(NewFiles("bob"))));
    }

    [Fact]
    public async Task Redelivering_the_same_message_does_not_duplicate_it()
    {
        var transport = Transport(Directory("team: alice, bob\n"));
        var message = TestMessages.Create([TestMessages.Recipient("bob@example.org"), TestMessages.Recipient("team@example.org")]);

        await DeliverAsync(transport, message);
        await DeliverAsync(transport, message);

        Assert.Equal(["0", "1_bob"], NewFiles("bob").Select(f => Path.GetFileName(f).Split('.')[1].Split('_', 2)[1]).Order());
        Assert.Single(NewFiles("alice"));
    }

    [Fact]
    public async Task The_recipient_index_comes_from_the_envelope_even_for_a_subset()
    {
        var message = TestMessages.Create([TestMessages.Recipient("alice@example.org"), TestMessages.Recipient("bob@example.org")]);

        await Transport(Directory()).DeliverAsync(message, [new DeliveryRecipient(1, message.Envelope.Recipients[1])], CancellationToken.None);

        Assert.Contains("_1.", Path.GetFileName(Assert.Single(NewFiles("bob"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_two_equal_recipients_each_keeps_the_index_it_carries()
    {
        var message = TestMessages.Create([TestMessages.Recipient("bob@example.org"), TestMessages.Recipient("alice@example.org"), TestMessages.Recipient("bob@example.org")]);

        await Transport(Directory()).DeliverAsync(message, [new DeliveryRecipient(2, message.Envelope.Recipients[0] with { })], CancellationToken.None);

        Assert.Contains("_2.", Path.GetFileName(Assert.Single(NewFiles("bob"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alias_fans_out_to_each_user_with_its_own_delivered_to()
    {
        var message = TestMessages.Create([TestMessages.Recipient("team@example.org")]);

        var outcome = Assert.Single(await DeliverAsync(Transport(Directory("team: alice, bob\n")), message));

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Equal("250 2.0.0 Delivered to 2 alias targets", outcome.Reply.ToString());
        Assert.Equal("alice,bob", outcome.Relay);
        Assert.Equal(Expected("Return-Path: <sender@remote.test>\r\nDelivered-To: bob@example.org\r\n"), await File.ReadAllBytesAsync(Assert.Single(NewFiles("bob"))));
        Assert.Contains("_0_alice.", Path.GetFileName(Assert.Single(NewFiles("alice"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcomes_come_back_in_recipient_order()
    {
        var message = TestMessages.Create(
        [
            TestMessages.Recipient("nobody@example.org"),
            TestMessages.Recipient("alice@example.org"),
            TestMessages.Recipient("ext@example.org"),
        ]);

        var outcomes = await DeliverAsync(Transport(Directory("ext: carol@external.test\n")), message);

        Assert.Equal(message.Envelope.Recipients, outcomes.Select(o => o.Recipient));
        Assert.Equal("550 5.1.1 User unknown", outcomes[0].Reply.ToString());
        Assert.Equal(DeliveryStatus.Failed, outcomes[0].Status);
        Assert.Equal(DeliveryStatus.Delivered, outcomes[1].Status);
        Assert.Equal(DeliveryStatus.Failed, outcomes[2].Status);
        Assert.Equal("550 5.7.1 carol@external.test: Relaying of alias targets is not enabled yet", outcomes[2].Reply.ToString());
    }

    [Fact]
    public async Task An_alias_to_a_missing_user_fails_with_user_unknown()
    {
        var message = TestMessages.Create([TestMessages.Recipient("ghost@example.org")]);

        var outcome = Assert.Single(await DeliverAsync(Transport(Directory("ghost: nobody\n")), message));

        Assert.Equal(DeliveryStatus.Failed, outcome.Status);
        Assert.Equal("550 5.1.1 nobody: User unknown", outcome.Reply.ToString());
    }

    [Fact]
    public async Task A_user_that_vanished_from_the_config_fails()
    {
        var message = TestMessages.Create([TestMessages.Recipient("bob@example.org")]);
        var transport = Transport(Directory() is var d ? new LocalRecipientDirectory(d.Options with { Users = ["alice"] }, null) : null!);

        var outcome = Assert.Single(await DeliverAsync(transport, message));

        Assert.Equal(DeliveryStatus.Failed, outcome.Status);
        Assert.Equal("550 5.1.1 User unknown", outcome.Reply.ToString());
    }

    [Fact]
    public async Task Alias_loops_fail_and_unreadable_includes_defer()
    {
        var message = TestMessages.Create([TestMessages.Recipient("l1@example.org"), TestMessages.Recipient("inc@example.org")]);

        var outcomes = await DeliverAsync(Transport(Directory("l1: l2\nl2: l1\ninc: :include:/nonexistent/postern\n")), message);

        Assert.Equal("550 5.4.6 Alias loop", outcomes[0].Reply.ToString());
        Assert.Equal(DeliveryStatus.Failed, outcomes[0].Status);
        Assert.Equal(DeliveryStatus.Deferred, outcomes[1].Status);
        Assert.Equal(451, outcomes[1].Reply.Code);
    }

    [Fact]
    public async Task An_io_error_defers()
    {
        var notADirectory = _temp.WriteFile("file", "x");
        var message = TestMessages.Create([TestMessages.Recipient("alice@example.org")]);

        var outcome = Assert.Single(await DeliverAsync(Transport(Directory(mailboxRoot: notADirectory)), message));

        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal("451 4.3.0 Local delivery deferred: I/O error", outcome.Reply.ToString());
    }

    [Fact]
    public async Task An_io_error_is_logged_as_one_line_with_the_systems_reason_and_no_stack_trace()
    {
        var notADirectory = _temp.WriteFile("file", "x");
        var message = TestMessages.Create([TestMessages.Recipient("alice@example.org")]);
        var log = new RecordingLogger();
        var transport = new LocalTransport(() => Directory(mailboxRoot: notADirectory), "mx.example.org", TimeProvider.System, log);

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(await DeliverAsync(transport, message)).Status);

        var (text, exception) = Assert.Single(log.Entries);
        Assert.Null(exception);
        Assert.StartsWith($"{message.Id.Value}: local delivery to alice deferred: ", text, StringComparison.Ordinal);
        Assert.Contains(notADirectory, text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public async Task A_pipe_alias_gets_the_message_on_stdin()
    {
        var output = _temp.Combine("piped");
        var message = TestMessages.Create([TestMessages.Recipient("prog@example.org")]);
        var directory = Directory($"prog: \"|cat > {output}; echo \\\"$SENDER $RECIPIENT\\\" > {output}.env\"\n", allowPipes: true);

        var outcome = Assert.Single(await DeliverAsync(Transport(directory), message));

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Equal("250 2.0.0 Delivered to command", outcome.Reply.ToString());
        Assert.Equal(Expected("Return-Path: <sender@remote.test>\r\nDelivered-To: prog@example.org\r\n"), await File.ReadAllBytesAsync(output));
        Assert.Equal("sender@remote.test prog@example.org\n", await File.ReadAllTextAsync(output + ".env"));
    }

    [Theory]
    [InlineData("exit 75", DeliveryStatus.Deferred, "451 4.3.0 |exit 75: Command deferred")]
    [InlineData("echo no such list >&2; exit 3", DeliveryStatus.Failed, "550 5.3.0 |echo no such list >&2; exit 3: Command failed with exit status 3: no such list")]
    [InlineData("exit 0", DeliveryStatus.Delivered, "250 2.0.0 Delivered to command")]
    public async Task A_pipe_exit_status_decides_the_outcome(string command, DeliveryStatus status, string reply)
    {
        var message = TestMessages.Create([TestMessages.Recipient("prog@example.org")]);

        var outcome = Assert.Single(await DeliverAsync(Transport(Directory($"prog: \"|{command}\"\n", allowPipes: true)), message));

        Assert.Equal(status, outcome.Status);
        Assert.Equal(reply, outcome.Reply.ToString());
    }

    [Fact]
    public async Task A_pipe_that_runs_too_long_is_killed_and_deferred()
    {
        var time = new FakeTimeProvider();
        var message = TestMessages.Create([TestMessages.Recipient("prog@example.org")]);
        var transport = Transport(Directory("prog: \"|sleep 300\"\n", allowPipes: true), time);

        var delivery = DeliverAsync(transport, message);
        for (var i = 0; i < 600 && !delivery.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(61));
            await Task.Delay(50);
        }

        var outcome = Assert.Single(await delivery);
        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal("451 4.3.0 |sleep 300: Command timed out", outcome.Reply.ToString());
    }

    [Fact]
    public async Task A_file_alias_appends_in_mbox_format()
    {
        var mbox = _temp.Combine("archive.mbox");
        var transport = Transport(Directory($"archive: {mbox}\n", allowFiles: true));
        var message = TestMessages.Create([TestMessages.Recipient("archive@example.org")]);

        var outcome = Assert.Single(await DeliverAsync(transport, message));
        await DeliverAsync(transport, message);

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Equal("250 2.0.0 Delivered to file", outcome.Reply.ToString());
        const string One =
            "From sender@remote.test Tue Nov 14 22:13:20 2023\n"
            + "Return-Path: <sender@remote.test>\nDelivered-To: archive@example.org\n"
            + "Subject: hi\n\n>From here\nbody\n\n";
        Assert.Equal(One + One, await File.ReadAllTextAsync(mbox));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(mbox));
    }

    [Fact]
    public async Task A_locked_mbox_defers()
    {
        var mbox = _temp.WriteFile("locked.mbox", string.Empty);
        var message = TestMessages.Create([TestMessages.Recipient("archive@example.org")]);
        using var holder = new FileStream(mbox, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var outcome = Assert.Single(await DeliverAsync(Transport(Directory($"archive: {mbox}\n", allowFiles: true)), message));

        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
    }

    /// <summary>Each entry's message and the exception handed to the logger with it.</summary>
    private sealed class RecordingLogger : Microsoft.Extensions.Logging.ILogger<LocalTransport>
    {
        public List<(string Text, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(
            Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((formatter(state, exception), exception));
    }
}
