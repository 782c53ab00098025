using System.Net;
using System.Text;
using Postern.Core.Policy;
using Postern.Core.Stages;
using Postern.Filters.Dkim;
using Postern.Policy;
using Postern.Tests.Pki.Tls;
using Postern.Tests.Server;
using Postern.Tests.Server.Stages;
using Postern.Tests.Server.Telemetry;

namespace Postern.Tests.Filters.Dkim;

/// <summary>
/// The signer as the last stage handler in a real session: it signs what earlier handlers (milters)
/// left, re-reading the body when one replaced it, and refuses with 451 rather than pass on a
/// message it was due to sign and could not.
/// </summary>
public sealed class DkimSigningHandlerTests : IDisposable
{
    private const string Message = "From: app@example.org\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nthe body  \r\n\r\n";

    private readonly DkimSigner _signer = DkimTestMessages.Signer(DkimAlgorithm.Ed25519);
    private readonly CollectingLogger _log = new();
    private readonly MeasurementRecorder _metrics = new();

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task Each_signature_and_each_message_left_unsigned_is_counted()
    {
        await SendAsync(Message);
        await SendAsync("From: app@example.org\r\nthis line is no header field\r\n");
        await SendAsync(Message, Editor(draft => draft.ReplaceBody(() => throw new IOException("gone"))));

        Assert.Equal(1, _metrics.Sum("postern.dkim.signatures", "algorithm=ed25519-sha256"));
        Assert.Equal(1, _metrics.Sum("postern.dkim.failures", "reason=no_separator"));
        Assert.Equal(1, _metrics.Sum("postern.dkim.failures", "reason=error"));
    }

    [Fact]
    public async Task A_body_replaced_by_an_earlier_handler_is_signed_as_replaced()
    {
        var replacer = Editor(draft => draft.ReplaceBody(() => new MemoryStream(Encoding.UTF8.GetBytes("a new body\r\n\twith tabs\t\r\n"))));

        var (reply, committed) = await SendAsync(Message, replacer);

        Assert.StartsWith("250 2.0.0 Ok: queued", reply, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\na new body\r\n\twith tabs\t\r\n", Encoding.UTF8.GetString(committed), StringComparison.Ordinal);
        Assert.Equal([true], DkimTestMessages.Verify(committed, DkimTestMessages.RecordsOf(_signer)));
    }

    [Fact]
    public async Task A_From_changed_to_a_signed_domain_by_an_earlier_handler_is_signed()
    {
        var rewriter = Editor(draft => draft.ChangeHeader("From", 1, "app@example.org"));

        var (_, committed) = await SendAsync(Message.Replace("app@example.org", "app@other.example", StringComparison.Ordinal), rewriter);

        Assert.Equal([true], DkimTestMessages.Verify(committed, DkimTestMessages.RecordsOf(_signer)));
    }

    [Fact]
    public async Task A_From_changed_away_from_a_signed_domain_is_not_signed()
    {
        var rewriter = Editor(draft => draft.ChangeHeader("From", 1, "app@other.example"));

        var (_, committed) = await SendAsync(Message, rewriter);

        Assert.Empty(DkimTestMessages.Verify(committed, DkimTestMessages.RecordsOf(_signer)));
    }

    [Fact]
    public async Task A_body_that_cannot_be_read_back_is_refused_with_451_not_passed_on_unsigned()
    {
        var breaker = Editor(draft => draft.ReplaceBody(() => throw new IOException("disk went away")));

        var (reply, _) = await SendAsync(Message, breaker);

        Assert.Equal("451 4.3.0 Temporary failure signing the message, try again later", reply);
        Assert.Contains(_log.Messages, m => m.StartsWith("DKIM: signing for example.org failed, message refused with 451: disk went away", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_with_no_empty_line_before_it_is_left_unsigned_and_said_so()
    {
        var (reply, committed) = await SendAsync("From: app@example.org\r\nthis line is no header field\r\n");

        Assert.StartsWith("250 2.0.0 Ok: queued", reply, StringComparison.Ordinal);
        Assert.Empty(DkimTestMessages.Verify(committed, DkimTestMessages.RecordsOf(_signer)));
        Assert.Contains(_log.Messages, m => m.StartsWith("DKIM: not signing for example.org: no empty line ends the header block", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_of_header_fields_only_is_signed()
    {
        var (_, committed) = await SendAsync("From: app@example.org\r\nSubject: only headers\r\n");

        Assert.Equal([true], DkimTestMessages.Verify(committed, DkimTestMessages.RecordsOf(_signer)));
    }

    private static TestHandler Editor(Action<MessageDraft> edit) => new("milter")
    {
        EditsMessage = true,
        EndOfData = draft =>
        {
            edit(draft);
            return PolicyDecision.Accept("edited");
        },
    };

    /// <summary>One message from a client in the relay networks through the handlers and then the signer; the reply and the committed bytes.</summary>
    private async Task<(string Reply, byte[] Committed)> SendAsync(string message, params IStageHandler[] before)
    {
        var policy = new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions { RelayNetworks = [IPNetwork.Parse("127.0.0.0/8")] });
        var table = new DkimSigningTable([_signer], []);
        var signer = new DkimSigningHandler(() => table, policy, TimeProvider.System, _log) { Metrics = new DkimMetrics(_metrics.Meter) };
        await using var dialog = new DialogHarness(policy, _log, configure: services => services with { Handlers = [.. before, signer] });
        await dialog.ExpectAsync("220 mx.test ESMTP");
        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<app@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<bob@example.net>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAsync(message + ".\r\n");
        var reply = await dialog.ReadReplyAsync();
        return (reply, dialog.Queue.Committed.IsEmpty ? [] : dialog.Queue.Committed.Last().Bytes);
    }
}
