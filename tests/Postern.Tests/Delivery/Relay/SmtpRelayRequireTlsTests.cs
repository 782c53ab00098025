using System.Net;
using System.Net.Sockets;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Delivery.Relay;
using Postern.Testing.Smtp;
using static Postern.Tests.Delivery.Relay.RelayTestSupport;

namespace Postern.Tests.Delivery.Relay;

public sealed class SmtpRelayRequireTlsTests
{
    private static readonly byte[] SimpleBody = Body("Subject: hi\r\n\r\nhello\r\n");

    private static QueuedMessage Message(bool requireTls, byte[]? body = null) =>
        RelayTestSupport.Message(body ?? SimpleBody, [TestMessages.Recipient("bob@remote.example")], e => e with { RequireTls = requireTls });

    private static SinkOptions TlsSink(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, bool offerRequireTls) =>
        new() { StartTls = true, Certificate = certificate, OfferRequireTls = offerRequireTls };

    private static FakeRelayRouter Hosts(OutboundTlsPolicy tls, params RelayHost[] hosts) =>
        new FakeRelayRouter().Add("remote.example", new RelayDestination(RelayDestinationStatus.Ok, hosts, tls));

    [Fact]
    public async Task A_requiretls_message_goes_over_verified_tls_to_a_host_offering_requiretls_with_the_parameter()
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(TlsSink(certificate, offerRequireTls: true));
        var message = Message(requireTls: true);

        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.Verify)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.EndsWith(" REQUIRETLS", Assert.Single(sink.Messages).MailFrom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_without_requiretls_gets_nothing_and_the_recipient_bounces_with_5_7_30()
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(TlsSink(certificate, offerRequireTls: false));
        var message = Message(requireTls: true);

        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.Verify)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryStatus.Failed, outcome.Status);
        Assert.Equal(550, outcome.Reply.Code);
        Assert.Equal("5.7.30", outcome.Reply.Status.ToString());
        Assert.Contains("does not offer REQUIRETLS", outcome.Reply.Lines[0], StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("MAIL", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(OutboundTlsPolicy.May)]
    [InlineData(OutboundTlsPolicy.Encrypt)]
    public async Task Tls_that_did_not_authenticate_the_server_is_not_enough(OutboundTlsPolicy tls)
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(TlsSink(certificate, offerRequireTls: true));
        var message = Message(requireTls: true);

        var outcomes = await Transport(Route(sink, tls)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryStatus.Failed, outcome.Status);
        Assert.Equal("5.7.30", outcome.Reply.Status.ToString());
        Assert.Contains("not authenticated", outcome.Reply.Lines[0], StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task A_certificate_that_fails_verification_grants_nothing()
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(TlsSink(certificate, offerRequireTls: true));
        var message = Message(requireTls: true);

        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.Verify), tls: new FakeClientTlsContext(trustServer: false))
            .DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.NotEqual(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task The_next_host_that_offers_requiretls_takes_the_message()
    {
        using var certificate = ServerCertificate();
        await using var without = new SmtpSink(TlsSink(certificate, offerRequireTls: false));
        await using var with = new SmtpSink(TlsSink(certificate, offerRequireTls: true));
        var message = Message(requireTls: true);

        var outcomes = await Transport(Hosts(OutboundTlsPolicy.Verify, without.Host("mx1.remote.example"), with.Host("mx2.remote.example")))
            .DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Empty(without.Messages);
        Assert.Single(with.Messages);
    }

    [Fact]
    public async Task An_unreachable_host_keeps_the_recipient_deferred_rather_than_bounced()
    {
        using var certificate = ServerCertificate();
        await using var without = new SmtpSink(TlsSink(certificate, offerRequireTls: false));
        var message = Message(requireTls: true);

        var outcomes = await Transport(Hosts(OutboundTlsPolicy.Verify, ClosedPortHost(), without.Host("mx2.remote.example")))
            .DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(outcomes).Status);
        Assert.Empty(without.Messages);
    }

    [Fact]
    public async Task Every_host_refusing_bounces_the_recipient()
    {
        using var certificate = ServerCertificate();
        await using var first = new SmtpSink(TlsSink(certificate, offerRequireTls: false));
        await using var second = new SmtpSink(new SinkOptions { OfferRequireTls = true });
        var message = Message(requireTls: true);

        var outcomes = await Transport(Hosts(OutboundTlsPolicy.May, first.Host("mx1.remote.example"), second.Host("mx2.remote.example")))
            .DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryStatus.Failed, outcome.Status);
        Assert.Equal("5.7.30", outcome.Reply.Status.ToString());
        Assert.Empty(first.Messages);
        Assert.Empty(second.Messages);
    }

    [Fact]
    public async Task Other_messages_go_without_the_parameter_even_when_offered()
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(TlsSink(certificate, offerRequireTls: true));
        var message = Message(requireTls: false);

        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.May)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.DoesNotContain("REQUIRETLS", Assert.Single(sink.Messages).MailFrom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_required_no_sets_the_recipient_domains_dane_requirement_aside()
    {
        await using var sink = new SmtpSink();
        var plain = Message(requireTls: false);
        var relaxed = Message(requireTls: false, Body("Subject: hi\r\nTLS-Required: No\r\n\r\nhello\r\n"));
        var transport = Transport(Route(sink, OutboundTlsPolicy.DaneOnly));

        var held = await transport.DeliverAsync(plain, DeliveryRecipient.AllOf(plain.Envelope), default);
        var sent = await transport.DeliverAsync(relaxed, DeliveryRecipient.AllOf(relaxed.Envelope), default);

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(held).Status);
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(sent).Status);
    }

    [Fact]
    public async Task The_requiretls_parameter_wins_over_tls_required_no()
    {
        await using var sink = new SmtpSink(new SinkOptions { OfferRequireTls = true });
        var message = RelayTestSupport.Message(
            Body("TLS-Required: No\r\n\r\nhello\r\n"), [TestMessages.Recipient("bob@remote.example")], e => e with { RequireTls = true });

        var outcomes = await Transport(Route(sink, OutboundTlsPolicy.DaneOnly)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.NotEqual(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public void A_route_level_requirement_stays_under_tls_required_no()
    {
        var verify = new RelayDestination(RelayDestinationStatus.Ok, [], OutboundTlsPolicy.Verify);
        var dane = new RelayDestination(RelayDestinationStatus.Ok, [], OutboundTlsPolicy.Dane) { IsMxDelivery = true };

        Assert.Equal(OutboundTlsPolicy.Verify, TlsRequiredHeader.WithoutRecipientPolicies(verify).Tls);
        Assert.Equal(OutboundTlsPolicy.May, TlsRequiredHeader.WithoutRecipientPolicies(dane).Tls);
        Assert.False(TlsRequiredHeader.WithoutRecipientPolicies(dane).IsMxDelivery);
    }

    private static RelayHost ClosedPortHost()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new RelayHost("mx1.remote.example", [IPAddress.Loopback], port);
    }
}
