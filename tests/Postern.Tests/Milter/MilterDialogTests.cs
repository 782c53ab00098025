using System.Text;
using Postern.Core.Milters;
using Postern.Core.Queueing;
using Postern.Core.Stages;
using Postern.Milter;
using Postern.Tests.Pki.Tls;
using Postern.Tests.Server;

namespace Postern.Tests.Milter;

/// <summary>
/// A real session with a milter handler talking to a fake milter on loopback: what the client is
/// answered, what lands in the spool and what the milter is sent, for every reply, every
/// modification and every way a milter breaks.
/// </summary>
public sealed class MilterDialogTests : IDisposable
{
    private const string Message = "Subject: hello\r\nMessage-ID: <m1@example.org>\r\nX-Old: 1\r\n\r\nthe body\r\n";

    private readonly CollectingLogger _log = new();
    private readonly string _held = Directory.CreateTempSubdirectory("postern-milter-test-").FullName;

    public void Dispose() => Directory.Delete(_held, recursive: true);

    private MilterStageHandler Handler(MilterDefinition definition) =>
        new(definition, new MilterEnvironment("mx.test", TimeProvider.System, _log) { TemporaryDirectory = _held });

    private Task<DialogHarness> ConnectAsync(params IStageHandler[] handlers) =>
        DialogHarness.ConnectAsync(
            options: DialogHarness.DefaultOptions() with { MaxMessageSize = 1_000_000 },
            configure: services => services with { Handlers = handlers, HeldMessageDirectory = _held });

    private Task<DialogHarness> ConnectAsync(FakeMilter milter) => ConnectAsync(Handler(milter.Definition()));

    /// <summary>EHLO, MAIL, two RCPTs, DATA and the message: the first refusal, else the reply to the end of data.</summary>
    private static async Task<string> DialogueAsync(DialogHarness dialog, string message = Message)
    {
        foreach (var line in new[] { "EHLO client.test", "MAIL FROM:<sender@example.org> SIZE=100", "RCPT TO:<user@localhost>", "RCPT TO:<alice@localhost>", "DATA" })
        {
            await dialog.SendAsync(line + "\r\n");
            var reply = await dialog.ReadReplyAsync();
            if (reply[0] is '4' or '5')
            {
                return reply;
            }
        }
        await dialog.SendAsync(message + ".\r\n");
        return await dialog.ReadReplyAsync();
    }

    private static (string Headers, string Body) Split(byte[] committed)
    {
        var text = Encoding.UTF8.GetString(committed);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (text[..(end + 2)], text[(end + 4)..]);
    }

    [Theory]
    [InlineData('H')]
    [InlineData('M')]
    [InlineData('R')]
    [InlineData('T')]
    [InlineData('L')]
    [InlineData('N')]
    [InlineData('B')]
    [InlineData('E')]
    public async Task A_reject_at_each_stage_is_the_reply_to_that_command_or_to_the_end_of_data(char stage)
    {
        await using var milter = new FakeMilter { Respond = c => c.Code == stage ? [MilterWire.Reply('r')] : null };
        await using var dialog = await ConnectAsync(milter);

        Assert.Equal("550 5.7.1 Command rejected", await DialogueAsync(dialog));

        Assert.Empty(dialog.Queue.Committed);
        Assert.Contains(_log.Messages, m => m.StartsWith("milter=fake, stage=", StringComparison.Ordinal) && m.EndsWith("reject=550 5.7.1 Command rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reject_at_connect_refuses_the_greeting()
    {
        await using var milter = new FakeMilter { Respond = c => c.Code == 'C' ? [MilterWire.Reply('r')] : null };
        var handler = Handler(milter.Definition());
        await using var dialog = new DialogHarness(configure: services => services with { Handlers = [handler] });

        Assert.Equal("554 5.7.1 Command rejected", await dialog.ReadReplyAsync());
        Assert.True(await dialog.ServerClosedAsync());
    }

    [Fact]
    public async Task A_tempfail_at_a_recipient_refuses_only_that_recipient()
    {
        await using var milter = new FakeMilter
        {
            Respond = c => c.Code == 'R' && c.Strings[0] == "<alice@localhost>" ? [MilterWire.Reply('t')] : null,
        };
        await using var dialog = await ConnectAsync(milter);
        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.org>\r\n", "250");
        await dialog.SendAndExpectAsync("RCPT TO:<alice@localhost>\r\n", "451 4.7.1 Service unavailable - try again later");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAndExpectAsync(Message + ".\r\n", "250 2.0.0");

        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal("user@localhost", Assert.Single(envelope.Recipients).Address.ToString());
    }

    [Fact]
    public async Task A_reply_code_with_several_lines_reaches_the_client_as_the_milter_wrote_it()
    {
        await using var milter = new FakeMilter
        {
            Respond = c => c.Code == 'E' ? [MilterWire.Reply('y', "554-5.7.1 Spam detected (100%%)\r\n554 5.7.1 Go away")] : null,
        };
        await using var dialog = await ConnectAsync(milter);

        Assert.Equal("554-5.7.1 Spam detected (100%)\n554 5.7.1 Go away", await DialogueAsync(dialog));
        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task A_temporary_reply_code_at_mail_is_a_4xx()
    {
        await using var milter = new FakeMilter { Respond = c => c.Code == 'M' ? [MilterWire.Reply('y', "421 4.7.0 Greylisted")] : null };
        await using var dialog = await ConnectAsync(milter);

        Assert.Equal("421 4.7.0 Greylisted", await DialogueAsync(dialog));
    }

    [Fact]
    public async Task A_discard_answers_250_and_queues_nothing()
    {
        await using var milter = new FakeMilter { Respond = c => c.Code == 'E' ? [MilterWire.Reply('d')] : null };
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250 2.0.0 Ok: queued as ", await DialogueAsync(dialog), StringComparison.Ordinal);
        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task The_queue_id_sent_at_mail_is_the_one_the_message_is_queued_under()
    {
        await using var milter = new FakeMilter();
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);

        var id = milter.MacrosFor('M')["i"];
        Assert.True(QueueId.IsValid(id), id);
        var (headers, _) = Split(Assert.Single(dialog.Queue.Committed).Bytes);
        Assert.Contains("id " + id, headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quarantine_queues_the_message_on_hold_with_the_milters_reason()
    {
        await using var milter = new FakeMilter { Respond = c => c.Code == 'E' ? [MilterWire.Reply('q', "looks like spam"), MilterWire.Reply('c')] : null };
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);

        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal("milter=fake: looks like spam", envelope.QuarantineReason);
    }

    [Fact]
    public async Task Header_actions_add_insert_change_and_delete_fields_in_the_spool()
    {
        await using var milter = new FakeMilter
        {
            Respond = c => c.Code == 'E'
                ?
                [
                    MilterWire.Reply('h', "X-Added", "yes"),
                    MilterWire.Indexed('i', 0, "X-Top", "first"),
                    MilterWire.Indexed('m', 1, "Subject", "changed\n\tfolded"),
                    MilterWire.Indexed('m', 1, "X-Old", ""),
                    MilterWire.Indexed('m', 0, "X-Missing", "added by change"),
                    MilterWire.Reply('c'),
                ]
                : null,
        };
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);

        var (headers, body) = Split(Assert.Single(dialog.Queue.Committed).Bytes);
        Assert.StartsWith("Received: from client.test", headers, StringComparison.Ordinal);
        Assert.Equal(
            "\r\nX-Top: first\r\nSubject: changed\r\n\tfolded\r\nMessage-ID: <m1@example.org>\r\nX-Added: yes\r\nX-Missing: added by change\r\n",
            headers[headers.IndexOf("\r\nX-Top", StringComparison.Ordinal)..]);
        Assert.Equal("the body\r\n", body);
        Assert.Contains(_log.Messages, m => m.Contains("milter=fake, stage=eom", StringComparison.Ordinal) && m.Contains("insheader=X-Top", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replaced_body_goes_into_the_spool_with_crlf_line_ends_and_its_file_is_removed()
    {
        await using var milter = new FakeMilter
        {
            Respond = c => c.Code == 'E'
                ? [MilterWire.Frame('b', [.. "new line one\nline two\r"u8]), MilterWire.Frame('b', [.. "\nend\n"u8]), MilterWire.Reply('c')]
                : null,
        };
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);

        var (headers, body) = Split(Assert.Single(dialog.Queue.Committed).Bytes);
        Assert.Equal("new line one\r\nline two\r\nend\r\n", body);
        Assert.Contains("Subject: hello\r\n", headers, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_held, "postern-replbody-*"));
    }

    [Fact]
    public async Task Envelope_actions_add_and_delete_recipients_and_change_the_sender()
    {
        await using var milter = new FakeMilter
        {
            Respond = c => c.Code == 'E'
                ?
                [
                    MilterWire.Reply('+', "<new@example.org>"),
                    MilterWire.Reply('2', "<dsn@example.org>", "NOTIFY=NEVER"),
                    MilterWire.Reply('-', "<alice@localhost>"),
                    MilterWire.Reply('e', "<changed@example.org>"),
                    MilterWire.Reply('c'),
                ]
                : null,
        };
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);

        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal("changed@example.org", envelope.Sender!.ToString());
        Assert.Equal(["user@localhost", "new@example.org", "dsn@example.org"], envelope.Recipients.Select(r => r.Address.ToString()));
        Assert.Equal(DsnNotify.Never, envelope.Recipients[2].Notify);
    }

    [Fact]
    public async Task Deleting_every_recipient_drops_the_message()
    {
        await using var milter = new FakeMilter
        {
            Respond = c => c.Code == 'E' ? [MilterWire.Reply('-', "<alice@localhost>"), MilterWire.Reply('-', "user@localhost"), MilterWire.Reply('c')] : null,
        };
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);
        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task An_action_the_milter_did_not_negotiate_breaks_the_protocol()
    {
        await using var milter = new FakeMilter
        {
            Actions = Postern.Milter.Protocol.MilterActions.AddHeaders,
            Respond = c => c.Code == 'E' ? [MilterWire.Reply('-', "<alice@localhost>"), MilterWire.Reply('c')] : null,
        };
        await using var dialog = await ConnectAsync(milter);

        Assert.Equal("451 4.7.1 Service unavailable - try again later", await DialogueAsync(dialog));
        Assert.Empty(dialog.Queue.Committed);
        Assert.Contains(_log.Messages, m => m.Contains("protocol error: action '-' without negotiating it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_milter_is_sent_every_stage_with_the_message_as_received_and_quit_at_the_end()
    {
        await using var milter = new FakeMilter();
        var dialog = await ConnectAsync(milter);
        await using (dialog)
        {
            Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);
            await dialog.SendAndExpectAsync("QUIT\r\n", "221");
            await dialog.SessionTask.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await milter.WaitForAsync('Q');
        Assert.Equal("OCHMRRTLLLNBEQ", milter.Codes);
        var received = milter.Received.ToList();
        Assert.Equal(["[127.0.0.1]"], received.Single(c => c.Code == 'C').Strings[..1]);
        Assert.Equal(["<sender@example.org>", "SIZE=100"], received.Single(c => c.Code == 'M').Strings);
        Assert.Equal(["Subject", "hello"], received.First(c => c.Code == 'L').Strings);
        Assert.Equal("the body\r\n", Encoding.UTF8.GetString(received.Single(c => c.Code == 'B').Data));
        Assert.Equal("mx.test", milter.MacrosFor('C')["j"]);
        Assert.Equal("mta", milter.MacrosFor('C')["{daemon_name}"]);
        Assert.Equal("sender@example.org", milter.MacrosFor('M')["{mail_addr}"]);
        Assert.Equal("localhost", milter.MacrosFor('R')["{rcpt_host}"]);
        Assert.Equal("<m1@example.org>", milter.MacrosFor('E')["{msg_id}"]);
    }

    [Fact]
    public async Task The_macro_lists_the_milter_asks_for_replace_the_defaults()
    {
        await using var milter = new FakeMilter { MacroLists = [(0, "{client_addr} {client_port}"), (2, "{mail_addr} {verify}")] };
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250", await DialogueAsync(dialog), StringComparison.Ordinal);
        Assert.Equal(["{client_addr}", "{client_port}"], milter.MacrosFor('C').Keys);
        Assert.Equal("127.0.0.1", milter.MacrosFor('C')["{client_addr}"]);
        Assert.Equal("NONE", milter.MacrosFor('M')["{verify}"]);
    }

    [Fact]
    public async Task Rset_aborts_the_transaction_at_the_milter()
    {
        await using var milter = new FakeMilter();
        await using var dialog = await ConnectAsync(milter);
        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.org>\r\n", "250");
        await dialog.SendAndExpectAsync("RSET\r\n", "250");
        await dialog.SendAndExpectAsync("NOOP\r\n", "250");
        // ABORT expects no reply: the session goes on before the milter has read it.
        await milter.WaitForAsync('A');

        Assert.Equal("OCHMA", milter.Codes);
    }

    [Fact]
    public async Task Headers_go_without_waiting_when_the_milter_asks_for_no_reply_and_progress_extends_the_wait()
    {
        await using var milter = new FakeMilter
        {
            Protocol = Postern.Milter.Protocol.MilterProtocolFlags.NoReplyHeader | Postern.Milter.Protocol.MilterProtocolFlags.NoHelo,
            Respond = c => c.Code == 'E' ? [MilterWire.Reply('p'), MilterWire.Reply('p'), MilterWire.Reply('c')] : null,
        };
        await using var dialog = await ConnectAsync(milter);

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);
        Assert.Equal("OCMRRTLLLNBE", milter.Codes);
    }

    [Fact]
    public async Task Skip_stops_the_body_chunks_but_not_the_end_of_message()
    {
        await using var milter = new FakeMilter { Respond = c => c.Code == 'B' ? [MilterWire.Reply('s')] : null };
        await using var dialog = await ConnectAsync(milter);
        var body = string.Concat(Enumerable.Repeat(new string('x', 998) + "\r\n", 300));

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog, "Subject: big\r\n\r\n" + body), StringComparison.Ordinal);

        Assert.Equal(1, milter.Codes.Count(c => c == 'B'));
        Assert.EndsWith("BE", milter.Codes, StringComparison.Ordinal);
        Assert.Equal(body, Split(Assert.Single(dialog.Queue.Committed).Bytes).Body);
    }

    [Fact]
    public async Task A_later_milter_is_sent_the_message_again_with_the_earlier_ones_changes()
    {
        await using var first = new FakeMilter { Respond = c => c.Code == 'E' ? [MilterWire.Reply('h', "X-First", "signed"), MilterWire.Reply('c')] : null };
        await using var second = new FakeMilter();
        await using var dialog = await ConnectAsync(Handler(first.Definition("first")), Handler(second.Definition("second")));

        Assert.StartsWith("250 2.0.0", await DialogueAsync(dialog), StringComparison.Ordinal);

        Assert.Equal("OCHMRRTLLLNBE", first.Codes);
        Assert.Equal("OCHMRRTLLLNB" + "AMRRTLLLLNBE", second.Codes);
        var replayedHeaders = second.Received.SkipWhile(c => c.Code != 'A').Where(c => c.Code == 'L').Select(c => string.Join(": ", c.Strings));
        Assert.Equal(["Subject: hello", "Message-ID: <m1@example.org>", "X-Old: 1", "X-First: signed"], replayedHeaders);
        Assert.Equal("the body\r\n", Encoding.UTF8.GetString(second.Received.Last(c => c.Code == 'B').Data));
        Assert.Contains("X-First: signed\r\n", Encoding.UTF8.GetString(Assert.Single(dialog.Queue.Committed).Bytes), StringComparison.Ordinal);
    }

    public static TheoryData<string> Breaks() => ["timeout", "garbage", "closed"];

    [Theory]
    [MemberData(nameof(Breaks))]
    public async Task A_milter_that_breaks_gets_its_default_action_with_one_log_line_and_is_not_asked_again(string how)
    {
        await using var milter = new FakeMilter
        {
            Respond = c => c.Code != 'M' ? null : how switch
            {
                "timeout" => FakeMilter.Silence,
                "garbage" => [[.. "garbage!"u8]],
                _ => FakeMilter.Close,
            },
        };
        await using var dialog = await ConnectAsync(Handler(milter.Definition(timeout: TimeSpan.FromMilliseconds(500))));

        Assert.Equal("451 4.7.1 Service unavailable - try again later", await DialogueAsync(dialog));
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.org>\r\n", "451 4.7.1");

        var failure = Assert.Single(_log.Messages, m => m.StartsWith("milter=fake, socket=inet:", StringComparison.Ordinal));
        Assert.Contains("stage=mail, relay=[127.0.0.1]: ", failure, StringComparison.Ordinal);
        Assert.Contains(how switch { "timeout" => "no reply within 0.5s", "garbage" => "protocol error: a frame of", _ => "the milter closed the connection" }, failure, StringComparison.Ordinal);
        Assert.EndsWith("default_action=tempfail", failure, StringComparison.Ordinal);
        Assert.Equal("OCHM", milter.Codes);
    }

    [Fact]
    public async Task An_unreachable_milter_lets_the_client_in_and_tempfails_mail()
    {
        var definition = new MilterDefinition("down", new MilterSocketAddress(MilterSocketKind.Inet, "127.0.0.1", FreePort(), ""));
        await using var dialog = await ConnectAsync(Handler(definition));

        Assert.Equal("451 4.7.1 Service unavailable - try again later", await DialogueAsync(dialog));
        Assert.Contains(_log.Messages, m => m.StartsWith("milter=down, socket=inet:", StringComparison.Ordinal) && m.Contains("stage=connect", StringComparison.Ordinal) && m.Contains("cannot connect", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(MilterFailureAction.Accept, "250 2.0.0")]
    [InlineData(MilterFailureAction.Reject, "550 5.7.1 Command rejected")]
    public async Task The_default_action_decides_what_a_broken_milter_means(MilterFailureAction action, string reply)
    {
        await using var milter = new FakeMilter { Respond = c => c.Code == 'R' ? FakeMilter.Close : null };
        await using var dialog = await ConnectAsync(Handler(milter.Definition(action: action)));

        Assert.StartsWith(reply, await DialogueAsync(dialog), StringComparison.Ordinal);
        Assert.Equal(action == MilterFailureAction.Accept ? 1 : 0, dialog.Queue.Committed.Count);
    }

    [Fact]
    public async Task The_next_session_connects_again_after_a_broken_one()
    {
        var broken = 0;
        await using var milter = new FakeMilter { Respond = c => c.Code == 'H' && Interlocked.Increment(ref broken) == 1 ? FakeMilter.Close : null };
        var handler = Handler(milter.Definition());
        await using (var first = await ConnectAsync(handler))
        {
            Assert.StartsWith("451", await DialogueAsync(first), StringComparison.Ordinal);
        }
        await using var second = await ConnectAsync(handler);

        Assert.StartsWith("250 2.0.0", await DialogueAsync(second), StringComparison.Ordinal);
        Assert.Equal(2, milter.ConnectionCount);
    }

    [Fact]
    public async Task Replies_modifications_and_failures_are_counted_by_milter()
    {
        using var recorder = new Postern.Tests.Server.Telemetry.MeasurementRecorder();
        var metrics = new Postern.Milter.Telemetry.MilterMetrics(recorder.Meter);
        await using var milter = new FakeMilter
        {
            Respond = c => c.Code switch
            {
                'E' => [MilterWire.Reply('h', "X-Spam", "no"), MilterWire.Reply('r')],
                'Q' => FakeMilter.Close,
                _ => null,
            },
        };
        var environment = new MilterEnvironment("mx.test", TimeProvider.System, _log) { TemporaryDirectory = _held, Metrics = metrics };
        await using (var dialog = await ConnectAsync(new MilterStageHandler(milter.Definition(), environment)))
        {
            Assert.StartsWith("550", await DialogueAsync(dialog), StringComparison.Ordinal);
        }
        var down = new MilterDefinition("down", new MilterSocketAddress(MilterSocketKind.Inet, "127.0.0.1", FreePort(), ""));
        await using (var dialog = await ConnectAsync(new MilterStageHandler(down, environment)))
        {
            Assert.StartsWith("451", await DialogueAsync(dialog), StringComparison.Ordinal);
        }

        Assert.Equal(1, recorder.Sum("postern.milter.replies", "milter=fake", "stage=mail", "reply=continue"));
        Assert.Equal(2, recorder.Sum("postern.milter.replies", "milter=fake", "stage=rcpt", "reply=continue"));
        Assert.Equal(1, recorder.Sum("postern.milter.replies", "milter=fake", "stage=eom", "reply=reject"));
        Assert.Equal(1, recorder.Sum("postern.milter.edits", "milter=fake", "action=addheader"));
        Assert.Equal(1, recorder.Sum("postern.milter.failures", "milter=down", "kind=connect"));
        Assert.Equal(0, recorder.Sum("postern.milter.failures", "milter=fake"));
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
