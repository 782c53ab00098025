using Postern.Core.Delivery;
using Postern.Delivery.Relay;
using Postern.Delivery.Security;
using Postern.Testing.Smtp;
using Postern.Tests.Pki.Tls;
using static Postern.Tests.Delivery.Relay.RelayTestSupport;

namespace Postern.Tests.Delivery.Relay;

public sealed class SmtpRelayClientTests
{
    [Fact]
    public async Task One_connection_carries_two_messages()
    {
        await using var sink = new SmtpSink();
        await using var client = Client(sink);
        Assert.Null(await client.ConnectAsync(default));
        var first = Message(Body("Subject: 1\r\n\r\none\r\n"), "a@remote.example");
        var second = Message(Body("Subject: 2\r\n\r\ntwo\r\n"), "b@remote.example");

        var one = await client.SendAsync(first, first.Envelope.Recipients, default);
        var two = await client.SendAsync(second, second.Envelope.Recipients, default);
        await client.QuitAsync(default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(one).Status);
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(two).Status);
        Assert.Equal(1, sink.Connections);
        Assert.Equal(2, sink.Messages.Count);
        Assert.Equal("QUIT", sink.Commands[^1]);
    }

    [Fact]
    public async Task Ehlo_refused_falls_back_to_helo_without_extensions()
    {
        await using var sink = new SmtpSink(new SinkOptions { Intercept = line => line.StartsWith("EHLO", StringComparison.Ordinal) ? "502 5.5.1 No EHLO here" : null });
        await using var client = Client(sink);
        Assert.Null(await client.ConnectAsync(default));
        var message = Message(Body("x\r\n"), "a@remote.example");
        var outcomes = await client.SendAsync(message, message.Envelope.Recipients, default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Contains("HELO postern.test", sink.Commands);
        Assert.Equal("MAIL FROM:<sender@remote.test>", Assert.Single(sink.Messages).MailFrom);
    }

    [Fact]
    public async Task After_a_421_the_client_is_closed_and_defers_further_messages()
    {
        await using var sink = new SmtpSink(new SinkOptions { Intercept = line => line.StartsWith("MAIL", StringComparison.Ordinal) ? "421 4.3.2 Bye" : null });
        await using var client = Client(sink);
        Assert.Null(await client.ConnectAsync(default));
        var message = Message(Body("x\r\n"), "a@remote.example");

        var first = await client.SendAsync(message, message.Envelope.Recipients, default);
        var second = await client.SendAsync(message, message.Envelope.Recipients, default);

        Assert.Equal(421, Assert.Single(first).Reply.Code);
        Assert.Equal(DeliveryStatus.Deferred, first[0].Status);
        Assert.False(client.IsOpen);
        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(second).Status);
    }

    [Fact]
    public async Task Connect_names_the_relay_and_reads_the_capabilities()
    {
        await using var sink = new SmtpSink();
        await using var client = Client(sink);
        Assert.Null(await client.ConnectAsync(default));
        Assert.Equal("sink.test [127.0.0.1]", client.Relay);
        Assert.True(client.Capabilities.Pipelining);
        Assert.True(client.Capabilities.Dsn);
    }

    [Fact]
    public async Task Starttls_is_logged_sendmail_style_and_auth_without_the_password()
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(new SinkOptions { StartTls = true, Certificate = certificate, AuthMechanisms = ["PLAIN"] });
        var logger = new CollectingLogger();
        await using var client = new SmtpRelayClient(
            HostSecurity.ForLevel(sink.Host(), OutboundTlsPolicy.Verify), new FakeClientTlsContext(), Options, new RelayCredential("alice", null, "pencil", []), TimeProvider.System, logger);

        Assert.Null(await client.ConnectAsync(default));

        Assert.Contains(logger.Messages, m => m.StartsWith("STARTTLS=client, relay=sink.test [127.0.0.1], version=TLSv1.", StringComparison.Ordinal)
            && m.Contains(", verify=OK, dane=no, sts=none, cipher=TLS_", StringComparison.Ordinal) && m.Contains(", bits=", StringComparison.Ordinal));
        Assert.Contains("AUTH=client, relay=sink.test [127.0.0.1], authid=alice, mech=PLAIN, bits=0", logger.Messages);
        Assert.DoesNotContain(logger.Messages, m => m.Contains("pencil", StringComparison.Ordinal));
        Assert.Equal("PLAIN", client.AuthMechanism);
        Assert.Equal(Postern.Core.Tls.VerifyResult.Ok, client.TlsFacts!.Peer.Result);
    }
}
