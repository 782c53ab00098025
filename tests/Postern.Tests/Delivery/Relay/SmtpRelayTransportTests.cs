using System.Net;
using System.Net.Sockets;
using System.Text;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Delivery.Relay;
using Postern.Testing.Smtp;
using Postern.Tests.Server;
using static Postern.Tests.Delivery.Relay.RelayTestSupport;

namespace Postern.Tests.Delivery.Relay;

public sealed class SmtpRelayTransportTests
{
    private static readonly byte[] SimpleBody = Body("Subject: hi\r\n\r\nhello\r\n");

    [Fact]
    public async Task Plain_delivery_relays_the_envelope_and_the_exact_bytes()
    {
        await using var sink = new SmtpSink();
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Same(message.Envelope.Recipients[0], outcome.Recipient);
        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Equal(250, outcome.Reply.Code);
        Assert.Equal("esmtp", outcome.Mailer);
        Assert.Equal("sink.test [127.0.0.1]", outcome.Relay);
        var received = Assert.Single(sink.Messages);
        Assert.Equal("MAIL FROM:<sender@remote.test> SIZE=" + SimpleBody.Length, received.MailFrom);
        Assert.Equal(["RCPT TO:<bob@remote.example>"], received.Recipients);
        Assert.Equal(SimpleBody, received.Data);
        Assert.False(received.Tls);
    }

    [Theory]
    [InlineData("Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n")]
    [InlineData("Subject: no final line end\r\n\r\nlast line without CRLF")]
    [InlineData(".starts with a dot\r\n")]
    [InlineData("")]
    public async Task Relayed_bytes_equal_the_spooled_bytes(string text)
    {
        await using var sink = new SmtpSink();
        var body = Body(text);
        var message = Message(body, "bob@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        var expected = text.Length == 0 || text.EndsWith("\r\n", StringComparison.Ordinal) ? body : Body(text + "\r\n");
        Assert.Equal(expected, Assert.Single(sink.Messages).Data);
    }

    [Fact]
    public async Task Starttls_is_used_when_offered_with_a_second_ehlo_and_the_client_certificate_when_asked()
    {
        using var certificate = ServerCertificate();
        using var clientCertificate = TestTlsContext.Create("CN=postern-client", serverAuth: false);
        await using var sink = new SmtpSink(new SinkOptions { StartTls = true, Certificate = certificate, AskClientCertificate = true, RequireTls = true });
        var tls = new FakeClientTlsContext(clientCertificate);
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.Verify), tls).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.True(Assert.Single(sink.Messages).Tls);
        Assert.Equal("CN=postern-client", sink.ClientCertificateSubject);
        Assert.Equal(["sink.test"], tls.VerifiedHosts);
        var commands = sink.Commands;
        var starttls = commands.ToList().IndexOf("STARTTLS");
        Assert.StartsWith("EHLO ", commands[0], StringComparison.Ordinal);
        Assert.True(starttls > 0);
        Assert.StartsWith("EHLO ", commands[starttls + 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_an_untrusted_certificate_defers_and_sends_nothing()
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(new SinkOptions { StartTls = true, Certificate = certificate });
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.Verify), new FakeClientTlsContext(trustServer: false))
            .DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal("4.7.5", outcome.Reply.Status?.ToString());
        Assert.True(sink.SawTls);
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task Encrypt_without_starttls_offered_defers_and_sends_nothing()
    {
        await using var sink = new SmtpSink();
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.Encrypt)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal("4.7.4", outcome.Reply.Status?.ToString());
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Encrypt_accepts_an_unverified_certificate()
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(new SinkOptions { StartTls = true, Certificate = certificate });
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.Encrypt), new FakeClientTlsContext(trustServer: false))
            .DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.True(Assert.Single(sink.Messages).Tls);
    }

    [Fact]
    public async Task May_without_starttls_sends_in_clear()
    {
        await using var sink = new SmtpSink();
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.May)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.False(Assert.Single(sink.Messages).Tls);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("CRAM-MD5")]
    [InlineData("SCRAM-SHA-256")]
    public async Task Auth_succeeds_with_each_mechanism(string mechanism)
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(new SinkOptions { StartTls = true, Certificate = certificate, AuthMechanisms = [mechanism], RequireAuth = true });
        var credentials = new StaticCredentials(new RelayCredential("alice", null, "pencil", []));
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink), credentials: credentials).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Equal("alice", Assert.Single(sink.Messages).AuthenticatedUser);
        Assert.Contains(sink.Commands, c => c.StartsWith("AUTH " + mechanism, StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Commands, c => c.Contains("pencil", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_prefers_scram_and_a_wrong_password_defers()
    {
        await using var sink = new SmtpSink(new SinkOptions { AuthMechanisms = ["PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"], RequireAuth = true });
        var credentials = new StaticCredentials(new RelayCredential("alice", null, "wrong", []));
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink), credentials: credentials).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Contains("535", outcome.Reply.ToString(), StringComparison.Ordinal);
        Assert.Contains(sink.Commands, c => c.StartsWith("AUTH SCRAM-SHA-256", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plain_is_not_used_without_tls()
    {
        await using var sink = new SmtpSink(new SinkOptions { AuthMechanisms = ["PLAIN", "LOGIN"], RequireAuth = true });
        var credentials = new StaticCredentials(new RelayCredential("alice", null, "pencil", []));
        var message = Message(SimpleBody, "bob@remote.example");
        var outcomes = await Transport(Route(sink), credentials: credentials).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(outcomes).Status);
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipelined_commands_go_in_one_group_and_replies_map_in_order()
    {
        await using var sink = new SmtpSink(new SinkOptions
        {
            HoldRepliesUntilData = true,
            RcptReply = address => address.StartsWith("nobody@", StringComparison.Ordinal) ? "550 5.1.1 User unknown" : null,
        });
        var message = Message(SimpleBody, "a@remote.example", "nobody@remote.example", "c@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Delivered], outcomes.Select(o => o.Status));
        Assert.Equal("5.1.1", outcomes[1].Reply.Status?.ToString());
        Assert.Equal(["RCPT TO:<a@remote.example>", "RCPT TO:<c@remote.example>"], Assert.Single(sink.Messages).Recipients);
        var commands = sink.Commands.SkipWhile(c => !c.StartsWith("MAIL", StringComparison.Ordinal)).Take(5).Select(c => c.Split(':')[0]);
        Assert.Equal(["MAIL FROM", "RCPT TO", "RCPT TO", "RCPT TO", "DATA"], commands);
    }

    [Fact]
    public async Task Without_pipelining_one_rejected_recipient_of_three_fails_and_two_are_delivered()
    {
        await using var sink = new SmtpSink(new SinkOptions
        {
            Pipelining = false,
            RcptReply = address => address.StartsWith("nobody@", StringComparison.Ordinal) ? "550 5.1.1 User unknown" : null,
        });
        var message = Message(SimpleBody, "a@remote.example", "nobody@remote.example", "c@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Delivered], outcomes.Select(o => o.Status));
        Assert.Equal(2, Assert.Single(sink.Messages).Recipients.Count);
    }

    [Fact]
    public async Task Rcpt_4xx_defers_that_recipient_and_data_4xx_defers_the_rest()
    {
        await using var sink = new SmtpSink(new SinkOptions
        {
            RcptReply = address => address.StartsWith("later@", StringComparison.Ordinal) ? "450 4.2.1 Mailbox busy" : null,
            DataCommandReply = "451 4.3.0 Try again",
        });
        var message = Message(SimpleBody, "later@remote.example", "b@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal([DeliveryStatus.Deferred, DeliveryStatus.Deferred], outcomes.Select(o => o.Status));
        Assert.Equal("4.2.1", outcomes[0].Reply.Status?.ToString());
        Assert.Equal("4.3.0", outcomes[1].Reply.Status?.ToString());
    }

    [Fact]
    public async Task Final_5xx_fails_the_accepted_recipients()
    {
        await using var sink = new SmtpSink(new SinkOptions { FinalReply = "554 5.7.1 Spam" });
        var message = Message(SimpleBody, "a@remote.example", "b@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Failed, o.Status));
        Assert.All(outcomes, o => Assert.Equal(554, o.Reply.Code));
    }

    [Fact]
    public async Task Dsn_parameters_are_passed_on_xtext_encoded()
    {
        await using var sink = new SmtpSink();
        var recipient = new EnvelopeRecipient(Mailbox("bob@remote.example"), DsnNotify.Success | DsnNotify.Failure, "rfc822;Bob+x=y@old.example");
        var message = Message(SimpleBody, [recipient], e => e with { Return = DsnReturn.Headers, EnvelopeId = "id 1+2", Body = BodyType.EightBitMime });
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        var received = Assert.Single(sink.Messages);
        Assert.Equal($"MAIL FROM:<sender@remote.test> SIZE={SimpleBody.Length} BODY=8BITMIME RET=HDRS ENVID=id+201+2B2", received.MailFrom);
        Assert.Equal(["RCPT TO:<bob@remote.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob+2Bx+3Dy@old.example"], received.Recipients);
    }

    [Fact]
    public async Task Without_dsn_or_8bitmime_the_parameters_are_left_out()
    {
        await using var sink = new SmtpSink(new SinkOptions { Dsn = false, EightBitMime = false });
        var recipient = new EnvelopeRecipient(Mailbox("bob@remote.example"), DsnNotify.Never, "rfc822;bob@remote.example");
        var message = Message(SimpleBody, [recipient], e => e with { Return = DsnReturn.Full, EnvelopeId = "x", Body = BodyType.EightBitMime });
        await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var received = Assert.Single(sink.Messages);
        Assert.Equal($"MAIL FROM:<sender@remote.test> SIZE={SimpleBody.Length}", received.MailFrom);
        Assert.Equal(["RCPT TO:<bob@remote.example>"], received.Recipients);
    }

    [Fact]
    public async Task Smtputf8_needed_but_not_offered_fails_with_5_6_7()
    {
        await using var sink = new SmtpSink(new SinkOptions { SmtpUtf8 = false });
        var message = Message(SimpleBody, "bob@remote.example", "jörg@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Failed], outcomes.Select(o => o.Status));
        Assert.Equal("5.6.7", outcomes[1].Reply.Status?.ToString());
    }

    [Fact]
    public async Task A_421_mid_session_defers()
    {
        await using var sink = new SmtpSink(new SinkOptions
        {
            Intercept = line => line.StartsWith("RCPT", StringComparison.Ordinal) ? "421 4.3.2 Shutting down" : null,
        });
        var message = Message(SimpleBody, "a@remote.example", "b@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Deferred, o.Status));
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task A_dropped_connection_in_data_defers()
    {
        await using var sink = new SmtpSink(new SinkOptions { Pipelining = false, Intercept = line => line == "DATA" ? "DROP" : null });
        var message = Message(SimpleBody, "a@remote.example");
        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(outcomes).Status);
        Assert.Equal("4.4.2", outcomes[0].Reply.Status?.ToString());
    }

    [Fact]
    public async Task First_host_down_the_second_is_used()
    {
        await using var sink = new SmtpSink();
        var down = new RelayHost("down.test", [IPAddress.Loopback], ClosedPort());
        var router = new FakeRelayRouter().Add("remote.example", new RelayDestination(RelayDestinationStatus.Ok, [down, sink.Host("mx2.test")], OutboundTlsPolicy.May));
        var message = Message(SimpleBody, "a@remote.example");
        var outcomes = await Transport(router).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Equal("mx2.test [127.0.0.1]", outcome.Relay);
    }

    [Fact]
    public async Task A_recipient_deferred_by_the_first_host_goes_to_the_second_and_a_failed_one_does_not()
    {
        await using var first = new SmtpSink(new SinkOptions
        {
            RcptReply = address => address.StartsWith("busy@", StringComparison.Ordinal) ? "451 4.3.0 Busy" : address.StartsWith("gone@", StringComparison.Ordinal) ? "550 5.1.1 Gone" : null,
        });
        await using var second = new SmtpSink();
        var router = new FakeRelayRouter().Add("remote.example", new RelayDestination(RelayDestinationStatus.Ok, [first.Host("mx1.test"), second.Host("mx2.test")], OutboundTlsPolicy.May));
        var message = Message(SimpleBody, "ok@remote.example", "busy@remote.example", "gone@remote.example");
        var outcomes = await Transport(router).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Delivered, DeliveryStatus.Failed], outcomes.Select(o => o.Status));
        Assert.Equal(["mx1.test [127.0.0.1]", "mx2.test [127.0.0.1]", "mx1.test [127.0.0.1]"], outcomes.Select(o => o.Relay));
        Assert.Equal(["RCPT TO:<busy@remote.example>"], Assert.Single(second.Messages).Recipients);
    }

    [Fact]
    public async Task All_hosts_down_defers_with_the_last_reply()
    {
        var down = new RelayHost("down.test", [IPAddress.Loopback], ClosedPort());
        var router = new FakeRelayRouter().Add("remote.example", new RelayDestination(RelayDestinationStatus.Ok, [down], OutboundTlsPolicy.May));
        var message = Message(SimpleBody, "a@remote.example");
        var outcomes = await Transport(router).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal("4.4.1", outcome.Reply.Status?.ToString());
    }

    [Fact]
    public async Task Router_failures_become_outcomes_per_domain_in_input_order()
    {
        await using var sink = new SmtpSink();
        var router = Route(sink)
            .Add("nullmx.example", RelayDestination.NullMx("nullmx.example"))
            .Add("later.example", RelayDestination.Temporary("DNS timeout"));
        var message = Message(SimpleBody, "a@nullmx.example", "b@remote.example", "c@later.example", "d@nowhere.example");
        var outcomes = await Transport(router).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Delivered, DeliveryStatus.Deferred, DeliveryStatus.Failed], outcomes.Select(o => o.Status));
        Assert.Equal("556 5.1.10", $"{outcomes[0].Reply.Code} {outcomes[0].Reply.Status}");
        Assert.Equal("4.4.3", outcomes[2].Reply.Status?.ToString());
        Assert.Equal("5.1.2", outcomes[3].Reply.Status?.ToString());
        for (var i = 0; i < outcomes.Count; i++)
        {
            Assert.Same(message.Envelope.Recipients[i], outcomes[i].Recipient);
        }
    }

    [Fact]
    public async Task A_large_body_crosses_chunk_boundaries_unchanged()
    {
        await using var sink = new SmtpSink();
        var builder = new StringBuilder("Subject: big\r\n\r\n");
        for (var i = 0; i < 5000; i++)
        {
            builder.Append(i % 3 == 0 ? ".dot line " : "line ").Append(i).Append("\r\n");
        }
        var body = Body(builder.ToString());
        var message = Message(body, "a@remote.example");
        await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(body, Assert.Single(sink.Messages).Data);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class StaticCredentials(RelayCredential credential) : IRelayCredentials
    {
        public RelayCredential? Find(string hostName) => credential;
    }
}
