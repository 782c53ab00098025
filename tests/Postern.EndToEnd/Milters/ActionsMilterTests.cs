namespace Postern.EndToEnd.Milters;

/// <summary>
/// A real libmilter filter (actions_milter.py on Debian's python3-milter) behind Postern: every
/// modification action shows in the mailboxes, every refusal reaches the client with the
/// milter's reply, the macros are sendmail's, RSET aborts the milter's transaction, and local
/// submissions go through <c>[server] local_milters</c>. One Postern and one filter for the class.
/// </summary>
public sealed class ActionsMilterTests(ActionsMilterTests.Server server) : IClassFixture<ActionsMilterTests.Server>
{
    [Fact]
    public async Task Header_body_and_envelope_actions_show_in_the_mailboxes()
    {
        var token = Token();
        var output = await server.SendAsync("joe@laptop.test", ["user@example.test", "alice@example.test"], $"""
            From: joe@laptop.test
            To: user@example.test, alice@example.test
            Subject: actions {token}
            X-Token: {token}
            X-Change-Me: old value
            X-Delete-Me: doomed
            X-Test-Action: add-header X-Added added by the milter
            X-Test-Action: insert-header 0 X-Inserted on top
            X-Test-Action: change-header X-Change-Me 1 new value
            X-Test-Action: delete-header X-Delete-Me 1
            X-Test-Action: replace-body a body from the milter\nsecond line\n
            X-Test-Action: add-rcpt <bob@example.test>
            X-Test-Action: add-rcpt-par <carol@example.test> NOTIFY=NEVER
            X-Test-Action: del-rcpt <alice@example.test>
            X-Test-Action: chg-from <changed@laptop.test>
            X-Test-Action: progress

            the original body
            """);
        Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);

        var delivered = await server.Postern.WaitForMailAsync("user", token);
        Assert.StartsWith("Return-Path: <changed@laptop.test>", delivered, StringComparison.Ordinal);
        Assert.Contains("\nX-Added: added by the milter", delivered, StringComparison.Ordinal);
        Assert.Contains("X-Change-Me: new value", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Change-Me: old value", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("\nX-Delete-Me:", delivered, StringComparison.Ordinal);
        // Index 0: above the message's own headers (the MTA's Return-Path and Received come on top of all).
        Assert.True(delivered.IndexOf("X-Inserted: on top", StringComparison.Ordinal) is var inserted and > 0
            && inserted < delivered.IndexOf("\nFrom: joe@laptop.test", StringComparison.Ordinal), delivered);
        Assert.EndsWith("\n\na body from the milter\nsecond line\n", delivered.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("the original body", delivered, StringComparison.Ordinal);

        // Added recipients get the same message; the deleted one gets nothing.
        Assert.Contains("X-Added: added by the milter", await server.Postern.WaitForMailAsync("bob", token), StringComparison.Ordinal);
        Assert.Contains("X-Added: added by the milter", await server.Postern.WaitForMailAsync("carol", token), StringComparison.Ordinal);
        await server.Postern.WaitForLogAsync(l => l.Contains("to=<carol@example.test>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal));
        Assert.DoesNotContain(Mailbox(server.Postern, "alice"), m => m.Contains(token, StringComparison.Ordinal));

        // The milter saw the message as the client sent it, body and all.
        var eom = await server.Milter.WaitForAsync("eom", r => r.Argument("token") == token);
        Assert.Contains("X-Delete-Me", eom.ArgumentList("headers"));
        Assert.Equal(10, eom.ArgumentList("actions").Count);
    }

    [Fact]
    public async Task Refusals_at_each_stage_reach_the_client_with_the_milters_reply()
    {
        var helo = await new SmtpTransaction("joe@laptop.test", ["user@example.test"], Message(Token())) { Helo = "reject-helo.test" }.RunAsync(server.Postern.Mta.Port);
        Assert.Matches(@"(EHLO|MAIL) 5\d\d ", helo);
        Assert.DoesNotContain("DATA 250", helo, StringComparison.Ordinal);

        Assert.Matches(@"MAIL 5\d\d ", await server.SendAsync("reject-mail@laptop.test", ["user@example.test"], Message(Token())));
        Assert.Matches(@"MAIL 4\d\d ", await server.SendAsync("tempfail-mail@laptop.test", ["user@example.test"], Message(Token())));

        var token = Token();
        var rcpt = await server.SendAsync("joe@laptop.test",
            ["reject-rcpt@example.test", "tempfail-rcpt@example.test", "reply-rcpt@example.test", "user@example.test"], Message(token));
        Assert.Matches(@"RCPT reject-rcpt@example.test 5\d\d ", rcpt);
        Assert.Matches(@"RCPT tempfail-rcpt@example.test 4\d\d ", rcpt);
        // SMFIR_REPLYCODE with two lines: the client gets both, code and enhanced code on each.
        Assert.Contains("RCPT reply-rcpt@example.test 550 5.7.1 this recipient is refused | 5.7.1 by the test milter, second line", rcpt, StringComparison.Ordinal);
        Assert.Contains("DATA 250 ", rcpt, StringComparison.Ordinal);
        await server.Postern.WaitForMailAsync("user", token);

        Assert.Matches(@"DATA 5\d\d ", await server.SendAsync("joe@laptop.test", ["user@example.test"], Message(Token(), "reject")));
        Assert.Matches(@"DATA 4\d\d ", await server.SendAsync("joe@laptop.test", ["user@example.test"], Message(Token(), "tempfail")));
        var custom = await server.SendAsync("joe@laptop.test", ["user@example.test"], Message(Token(), "reply 554 5.7.0 first line|second line|third line"));
        Assert.Contains("DATA 554 5.7.0 first line | 5.7.0 second line | 5.7.0 third line", custom, StringComparison.Ordinal);
        var tempCustom = await server.SendAsync("joe@laptop.test", ["user@example.test"], Message(Token(), "reply 452 4.3.1 come back later"));
        Assert.Contains("DATA 452 4.3.1 come back later", tempCustom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discarded_mail_is_told_250_and_dropped_and_quarantined_mail_is_held_with_the_milters_reason()
    {
        var discarded = Token();
        Assert.Contains("DATA 250 ", await server.SendAsync("joe@laptop.test", ["user@example.test"], Message(discarded, "discard")), StringComparison.Ordinal);
        var held = Token();
        Assert.Contains("DATA 250 ", await server.SendAsync("joe@laptop.test", ["user@example.test"], Message(held, "quarantine held by the test milter")), StringComparison.Ordinal);
        var control = Token();
        Assert.Contains("DATA 250 ", await server.SendAsync("joe@laptop.test", ["user@example.test"], Message(control)), StringComparison.Ordinal);

        await server.Postern.WaitForMailAsync("user", control);
        Assert.DoesNotContain(Mailbox(server.Postern, "user"), m => m.Contains(discarded, StringComparison.Ordinal) || m.Contains(held, StringComparison.Ordinal));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string list;
        do
        {
            int code;
            (code, list) = await Binary.RunAsync("queue", "list", "--config", server.Postern.ConfigPath!, "--data-dir", server.Postern.DataDir);
            Assert.True(code == 0, list);
        }
        while (!list.Contains("(quarantine: milter=actions: held by the test milter", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Delay());
        Assert.Contains("(quarantine: milter=actions: held by the test milter", list, StringComparison.Ordinal);
        await server.Postern.WaitForLogAsync(l => l.Contains("milter=actions", StringComparison.Ordinal) && l.Contains("discard", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_milter_gets_the_macros_sendmail_sends()
    {
        var token = Token();
        var output = await new SmtpTransaction($"{MilteredPostern.User}@example.test", [Server.Relayed], Message(token))
        {
            CaFile = server.Pki["ca.pem"],
            ClientCertificate = (server.Pki["client.pem"], server.Pki["client.key"]),
            Login = (MilteredPostern.User, MilteredPostern.Password),
        }.RunAsync(server.Postern.EndPoint("submission").Port);
        Assert.Contains("DATA 250 ", output, StringComparison.Ordinal);

        var mail = await server.Milter.WaitForAsync("mail", r => r.Argument("sender") == $"<{MilteredPostern.User}@example.test>");
        var connection = server.Milter.Reports().Where(r => r.Connection == mail.Connection).ToList();
        var connect = connection.Single(r => r.Stage == "connect");
        Assert.Equal("127.0.0.1", connect.Argument("address"));
        Assert.Equal("mx.example.test", connect.Macros["j"]);
        Assert.Equal("submission", connect.Macros["{daemon_name}"]);
        Assert.Equal("127.0.0.1", connect.Macros["{client_addr}"]);   // configured: not in sendmail's default list
        Assert.Equal("127.0.0.1", connect.Macros["{if_addr}"]);

        // EHLO again after STARTTLS: the TLS facts arrive with it.
        var helo = connection.Last(r => r.Stage == "helo");
        Assert.Equal("client.test", helo.Argument("name"));
        Assert.Matches("^TLSv1\\.[23]$", helo.Macros["{tls_version}"]);
        Assert.NotEmpty(helo.Macros["{cipher}"]);
        Assert.Matches("^[0-9]+$", helo.Macros["{cipher_bits}"]);
        Assert.Matches("CN=Joe(\\+20| )User", helo.Macros["{cert_subject}"]);
        Assert.Matches("CN=Joe's(\\+20| )Certificate(\\+20| )Authority", helo.Macros["{cert_issuer}"]);
        Assert.Equal("OK", helo.Macros["{verify}"]);

        Assert.Equal("PLAIN", mail.Macros["{auth_type}"]);
        Assert.Equal(MilteredPostern.User, mail.Macros["{auth_authen}"]);
        Assert.Equal($"{MilteredPostern.User}@example.test", mail.Macros["{mail_addr}"]);
        var rcpt = connection.Single(r => r.Stage == "rcpt");
        Assert.Equal(Server.Relayed, rcpt.Macros["{rcpt_addr}"]);
    }

    [Fact]
    public async Task The_queue_id_macro_i_reaches_the_milter_at_mail_and_is_the_mail_logs_id()
    {
        var token = Token();
        Assert.Contains("DATA 250 ", await server.SendAsync("queue-id@laptop.test", ["user@example.test"], Message(token)), StringComparison.Ordinal);

        // sendmail's default MAIL list starts with i; sendmail and Postfix both know the queue id by then.
        var mail = await server.Milter.WaitForAsync("mail", r => r.Argument("sender") == "<queue-id@laptop.test>");
        Assert.True(mail.Macros.TryGetValue("i", out var queueId), "no i macro at MAIL: " + mail.Line);
        await server.Postern.WaitForLogAsync(l => l.Contains(queueId + ": from=<queue-id@laptop.test>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rset_aborts_the_milters_transaction()
    {
        await using var client = await RawSmtpClient.ConnectAsync(server.Postern.Mta);
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO rset.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<rset@laptop.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<user@example.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RSET"), StringComparison.Ordinal);
        await client.CommandAsync("QUIT");

        var mail = await server.Milter.WaitForAsync("mail", r => r.Argument("sender") == "<rset@laptop.test>");
        await server.Milter.WaitForAsync("abort", r => r.Connection == mail.Connection);
        await server.Milter.WaitForAsync("close", r => r.Connection == mail.Connection);
    }

    [Fact]
    public async Task Local_submissions_go_through_the_local_milters()
    {
        using var links = new SendmailLinks(server.Postern.ConfigPath!, server.Postern.DataDir);
        var token = Token();
        var result = await links.RunAsync("sendmail", $"Subject: local {token}\nX-Token: {token}\nX-Test-Action: add-header X-Local-Milter seen\n\nfrom the sendmail command\n", "bob@example.test");
        Assert.True(result.Code == 0, SendmailLinks.Describe(result));

        var delivered = await server.Postern.WaitForMailAsync("bob", token);
        Assert.Contains("X-Local-Milter: seen", delivered, StringComparison.Ordinal);
        await server.Milter.WaitForAsync("eom", r => r.Argument("token") == token && r.ArgumentList("actions").Contains("add-header X-Local-Milter seen"));
    }

    private static string Token() => "milter-" + Guid.NewGuid().ToString("N")[..12];

    private static string Message(string token, string? action = null) =>
        $"From: joe@laptop.test\nTo: user@example.test\nSubject: {token}\nX-Token: {token}\n"
        + (action is null ? "" : $"X-Test-Action: {action}\n") + "\nbody\n";

    private static IEnumerable<string> Mailbox(PosternProcess postern, string user) =>
        Directory.Exists(postern.MaildirNew(user)) ? Directory.GetFiles(postern.MaildirNew(user)).Select(File.ReadAllText) : [];

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }

    /// <summary>
    /// Postern for mx.example.test with the actions milter on every listener ([server] milters) and for
    /// local submissions (local_milters): "mta" (STARTTLS offered) delivers to local users, "submission"
    /// (STARTTLS, client certificates asked, AUTH required) relays to a sink. The connect and helo macro
    /// lists are configured (with {client_addr} and {verify}, which sendmail's defaults lack); the others are sendmail's.
    /// </summary>
    public sealed class Server : IAsyncLifetime
    {
        public const string Relayed = "friend@sink.test";

        public TestPki Pki { get; } = new();

        public SmtpSink Sink { get; } = new(SinkOptions.PlainNextHop);

        public ActionsMilter Milter { get; private set; } = null!;

        public PosternProcess Postern { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Milter = await ActionsMilter.StartAsync();
            var config = PosternConfig.Host("mx.example.test")
                .WithServerKeys("milters = [\"actions\"]\nlocal_milters = [\"actions\"]")
                .WithListener("mta", "mta", tls: "starttls")
                .WithListener("submission", "msa", tls: "starttls", clientCert: "ask", auth: "require")
                // The milter refuses these at RCPT: they must be real users, or the restrictions refuse them first.
                .WithLocal(["example.test"], ["user", "alice", "bob", "carol", "reject-rcpt", "tempfail-rcpt", "reply-rcpt"])
                .WithServerTls(Pki)
                .WithRoute("sink.test", Sink.Port)
                .WithSection(MilteredPostern.MilterEntry("actions", Milter.Daemon, """
                    macros = { connect = ["j", "{daemon_name}", "{if_addr}", "{client_addr}"], helo = ["{tls_version}", "{cipher}", "{cipher_bits}", "{cert_subject}", "{cert_issuer}", "{verify}"] }
                    """))
                .ToToml();
            Postern = await MilteredPostern.StartAsync(config, listeners: 2);
        }

        /// <summary>One plain transaction on the mta listener, each reply printed.</summary>
        public Task<string> SendAsync(string sender, string[] recipients, string message) =>
            new SmtpTransaction(sender, recipients, message).RunAsync(Postern.Mta.Port);

        public async Task DisposeAsync()
        {
            await MilteredPostern.StopAsync(Postern);
            if (Milter is not null)
            {
                await Milter.DisposeAsync();
            }
            await Sink.DisposeAsync();
            Pki.Dispose();
        }
    }
}
