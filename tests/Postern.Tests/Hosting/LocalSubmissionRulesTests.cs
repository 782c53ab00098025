using Microsoft.Extensions.Time.Testing;
using Postern.Config;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Delivery.Local;
using Postern.Hosting.Pickup;

namespace Postern.Tests.Hosting;

/// <summary>The daemon's second look at a maildrop file: the submitter's rules again, and a trace header from the uid.</summary>
public sealed class LocalSubmissionRulesTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("postern-rules-");
    private readonly LocalSubmissionRules _rules;

    public LocalSubmissionRulesTests()
    {
        const string Toml = """
            [server]
            hostname = "mail.example.org"

            [[listener]]
            name = "mta"
            address = "127.0.0.1:0"
            role = "mta"

            [local]
            domains = ["example.org"]
            users = ["alice", "bob"]

            [limits]
            max_recipients = 2
            """;
        var loaded = ConfigurationLoader.LoadFromText(Toml, "test.toml", _data.FullName, _ => null);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var directory = LocalRecipientDirectory.Load(loaded.Configuration.Local);
        _rules = new LocalSubmissionRules(loaded.Configuration, () => directory, new FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose() => _data.Delete(recursive: true);

    [Theory]
    [InlineData("alice@example.org", null)]
    [InlineData("someone@far.example", null)]
    [InlineData("nobody@example.org", "<nobody@example.org>: User unknown")]
    [InlineData("a%b@far.example", "<a%b@far.example>: '%', '!' or '@' in the local part never route mail")]
    [InlineData("x@[192.0.2.1]", "<x@[192.0.2.1]>: address literals are never relayed")]
    public void Each_recipient_passes_the_local_submission_rule(string recipient, string? refusal)
    {
        var at = recipient.LastIndexOf('@');
        Assert.Equal(refusal, _rules.Refusal(Envelope(new Mailbox(recipient[..at], recipient[(at + 1)..]))));
    }

    [Fact]
    public void No_recipient_or_too_many_is_refused()
    {
        Assert.Equal("no recipients", _rules.Refusal(Envelope()));
        Assert.Equal("too many recipients (3; limits.max_recipients is 2)",
            _rules.Refusal(Envelope(new Mailbox("alice", "example.org"), new Mailbox("bob", "example.org"), new Mailbox("c", "far.example"))));
    }

    [Fact]
    public void The_trace_header_names_the_uid_and_the_queue_id()
    {
        var id = QueueId.Parse("0000000000000001");
        var header = _rules.TraceHeader(0, id, Envelope(new Mailbox("alice", "example.org")));

        Assert.StartsWith("Received: from userid 0 (root)\r\n\tby mail.example.org (Postern) id 0000000000000001\r\n\tfor <alice@example.org>; ", header, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", header, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_name_comes_from_the_passwd_file_and_only_when_it_is_plain()
    {
        var passwd = Path.Combine(_data.FullName, "passwd");
        File.WriteAllText(passwd, "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nevil)\r:x:1001:1001::/:/bin/sh\n");

        Assert.Equal("alice", LocalUserNames.NameOf(1000, passwd));
        Assert.Null(LocalUserNames.NameOf(1001, passwd));
        Assert.Null(LocalUserNames.NameOf(4242, passwd));
        Assert.Null(LocalUserNames.NameOf(0, Path.Combine(_data.FullName, "missing")));
    }

    private static Envelope Envelope(params Mailbox[] recipients) => new()
    {
        Sender = new Mailbox("alice", "example.org"),
        Recipients = [.. recipients.Select(r => new EnvelopeRecipient(r))],
        Client = new ClientInfo(null, null, "local", "pickup"),
        ReceivedAt = DateTimeOffset.UnixEpoch,
    };
}
