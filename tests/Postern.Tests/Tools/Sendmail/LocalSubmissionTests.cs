using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Core.Queueing;
using Postern.Delivery.Local;
using Postern.Queue;
using Postern.Tools.Sendmail;

namespace Postern.Tests.Tools.Sendmail;

public sealed class LocalSubmissionTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "postern-sendmail-" + Guid.NewGuid().ToString("N"));
    private readonly PosternConfiguration _configuration;
    private readonly LocalRecipientDirectory _directory;
    private readonly StringWriter _output = new();

    public LocalSubmissionTests()
    {
        Directory.CreateDirectory(_dataDirectory);
        const string Toml = """
            [server]
            hostname = "mail.example.org"

            [[listener]]
            name = "mta"
            address = "127.0.0.1:0"
            role = "mta"

            [local]
            domains = ["mail.example.org", "example.org"]
            users = ["alice", "bob", "carol"]

            [limits]
            max_message_size = "64K"
            """;
        var loaded = ConfigurationLoader.LoadFromText(Toml, "test.toml", _dataDirectory, _ => null);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        _configuration = loaded.Configuration;
        _directory = LocalRecipientDirectory.Load(_configuration.Local);
    }

    public void Dispose()
    {
        Directory.Delete(_dataDirectory, recursive: true);
        _output.Dispose();
    }

    private async Task<(Envelope Envelope, string Message)> SubmitAsync(string input, SendmailOptions options)
    {
        var submission = new LocalSubmission(_configuration, _directory, new SubmittingUser("alice", 1000), TimeProvider.System, _output);
        var id = await submission.SubmitAsync(options, new MemoryStream(Encoding.UTF8.GetBytes(input)), CancellationToken.None);
        var spool = Spool.OpenExisting(_configuration.Queue, TimeProvider.System, NullLogger<Spool>.Instance)!;
        var message = (await spool.Inspection.TryGetAsync(id, CancellationToken.None))!;
        await using var body = message.OpenBody();
        using var reader = new StreamReader(body, Encoding.UTF8);
        return (message.Envelope, await reader.ReadToEndAsync());
    }

    private async Task<SubmissionException> FailAsync(string input, SendmailOptions options) =>
        await Assert.ThrowsAsync<SubmissionException>(() => SubmitAsync(input, options));

    private static string[] Recipients(Envelope envelope) => [.. envelope.Recipients.Select(r => r.Address.ToString())];

    [Fact]
    public async Task Recipients_from_headers_with_t_and_bcc_is_removed()
    {
        var (envelope, message) = await SubmitAsync(
            "To: bob, Someone <someone@example.net>\nCc: \"Doe, Jane\" <jane@example.net>\nBcc: carol@example.org\nSubject: hi\n\nbody\n",
            new SendmailOptions { ExtractRecipients = true });

        Assert.Equal(["bob@mail.example.org", "someone@example.net", "jane@example.net", "carol@example.org"], Recipients(envelope));
        Assert.DoesNotContain("Bcc:", message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("carol", message, StringComparison.Ordinal);
        Assert.Contains("To: bob, Someone <someone@example.net>\r\n", message, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nbody\r\n", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Argument_recipients_are_added_to_header_recipients_with_t()
    {
        var (envelope, _) = await SubmitAsync("To: bob\n\nx\n", new SendmailOptions { ExtractRecipients = true, Arguments = ["carol", "bob@mail.example.org"] });

        Assert.Equal(["carol@mail.example.org", "bob@mail.example.org"], Recipients(envelope));
    }

    [Fact]
    public async Task Without_t_the_headers_do_not_add_recipients()
    {
        var (envelope, message) = await SubmitAsync("To: bob\nBcc: carol\n\nx\n", new SendmailOptions { Arguments = ["alice"] });

        Assert.Equal(["alice@mail.example.org"], Recipients(envelope));
        Assert.DoesNotContain("carol", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lone_dot_ends_the_message_unless_i()
    {
        var (_, cut) = await SubmitAsync("Subject: dots\n\nline one\n.\nnot part of it\n", new SendmailOptions { Arguments = ["bob"] });
        var (_, whole) = await SubmitAsync("Subject: dots\n\nline one\n.\nstill part of it\n", new SendmailOptions { Arguments = ["bob"], IgnoreDots = true });

        Assert.EndsWith("\r\n\r\nline one\r\n", cut, StringComparison.Ordinal);
        Assert.DoesNotContain("not part", cut, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nline one\r\n.\r\nstill part of it\r\n", whole, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dotted_lines_are_kept_as_they_are()
    {
        var (_, message) = await SubmitAsync("Subject: x\n\n..two dots\n.text\n", new SendmailOptions { Arguments = ["bob"] });

        Assert.EndsWith("\r\n\r\n..two dots\r\n.text\r\n", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_from_date_and_message_id_are_added_and_received_names_the_user()
    {
        var (envelope, message) = await SubmitAsync("Subject: bare\n\nx", new SendmailOptions { Arguments = ["bob"], FullName = "Alice Example" });

        Assert.Equal("alice@mail.example.org", envelope.Sender!.ToString());
        Assert.StartsWith("Received: from userid 1000 (alice)\r\n\tby mail.example.org (Postern) id ", message, StringComparison.Ordinal);
        Assert.Contains("\r\n\tfor <bob@mail.example.org>; ", message, StringComparison.Ordinal);
        Assert.Contains("\r\nFrom: Alice Example <alice@mail.example.org>\r\n", message, StringComparison.Ordinal);
        Assert.Matches(@"\r\nDate: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\r\n", message);
        Assert.Matches(@"\r\nMessage-ID: <\d{14}\.[0-9A-Za-z]{16}@mail\.example\.org>\r\n", message);
        // The unterminated last line gets its CRLF.
        Assert.EndsWith("\r\n\r\nx\r\n", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Present_headers_are_not_duplicated_and_f_sets_the_sender()
    {
        var (envelope, message) = await SubmitAsync(
            "From: Boss <boss@example.org>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <x@y>\n\nx\n",
            new SendmailOptions { Arguments = ["bob"], Sender = "<>" });

        Assert.Null(envelope.Sender);
        Assert.Equal(2, message.Split("\nFrom: ").Length);
        Assert.DoesNotContain("\r\nDate: " + DateTime.UtcNow.Year, message, StringComparison.Ordinal);
        Assert.Equal(2, message.Split("Message-ID:").Length);
    }

    [Fact]
    public async Task A_message_without_headers_gets_a_separator_before_its_body()
    {
        var (_, message) = await SubmitAsync("just text, no header\nsecond line\n", new SendmailOptions { Arguments = ["bob"] });

        Assert.EndsWith("\r\n\r\njust text, no header\r\nsecond line\r\n", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mbox_from_line_is_dropped()
    {
        var (_, message) = await SubmitAsync("From alice Mon Jan  1 00:00:00 2024\nSubject: s\n\nx\n", new SendmailOptions { Arguments = ["bob"] });

        Assert.DoesNotContain("From alice", message, StringComparison.Ordinal);
        Assert.Contains("\r\nSubject: s\r\n", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_recipients_is_exit_67()
    {
        var error = await FailAsync("Subject: s\n\nx\n", new SendmailOptions { ExtractRecipients = true });

        Assert.Equal(ExitCodes.NoUser, error.ExitCode);
        Assert.Contains("no recipient addresses", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nobody", "User unknown")]
    [InlineData("a%b@example.net", "never route mail")]
    [InlineData("a!b@example.net", "never route mail")]
    [InlineData("x@[192.0.2.1]", "address literals")]
    [InlineData("bad address@", "bad recipient address")]
    public async Task Refused_recipients_are_exit_67_and_nothing_is_queued(string recipient, string reason)
    {
        var error = await FailAsync("Subject: s\n\nx\n", new SendmailOptions { Arguments = ["bob", recipient] });

        Assert.Equal(ExitCodes.NoUser, error.ExitCode);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        var spool = Spool.OpenExisting(_configuration.Queue, TimeProvider.System, NullLogger<Spool>.Instance);
        Assert.True(spool is null || (await spool.Inspection.ListAsync(CancellationToken.None)).Count == 0);
    }

    [Fact]
    public async Task Remote_recipients_are_not_subject_to_relay_restrictions()
    {
        var (envelope, _) = await SubmitAsync("Subject: s\n\nx\n", new SendmailOptions { Arguments = ["someone@example.net"] });

        Assert.Equal(["someone@example.net"], Recipients(envelope));
        Assert.Equal("local", envelope.Client.Protocol);
    }

    [Fact]
    public async Task A_huge_header_section_is_refused_with_exit_65()
    {
        var input = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            input.Append("X-Filler-").Append(i).Append(": ").Append('x', 60).Append('\n');
        }
        var error = await FailAsync(input + "\nx\n", new SendmailOptions { Arguments = ["bob"] });

        Assert.Equal(ExitCodes.DataError, error.ExitCode);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_with_exit_65_and_not_queued()
    {
        var error = await FailAsync("Subject: big\n\n" + new string('y', 70 * 1024) + "\n", new SendmailOptions { Arguments = ["bob"] });

        Assert.Equal(ExitCodes.DataError, error.ExitCode);
        var spool = Spool.OpenExisting(_configuration.Queue, TimeProvider.System, NullLogger<Spool>.Instance)!;
        Assert.Empty(await spool.Inspection.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Dsn_and_body_options_reach_the_envelope()
    {
        var (envelope, _) = await SubmitAsync("Subject: s\n\nx\n", new SendmailOptions
        {
            Arguments = ["bob"],
            Body = BodyType.EightBitMime,
            Notify = DsnNotify.Failure,
            Return = DsnReturn.Headers,
            EnvelopeId = "abc",
        });

        Assert.Equal(BodyType.EightBitMime, envelope.Body);
        Assert.Equal(DsnNotify.Failure, envelope.Recipients[0].Notify);
        Assert.Equal(DsnReturn.Headers, envelope.Return);
        Assert.Equal("abc", envelope.EnvelopeId);
    }
}
