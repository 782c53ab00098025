using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Tls;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;
using Postern.Testing.Smtp;
using static Postern.Tests.Delivery.Relay.RelayTestSupport;

namespace Postern.Tests.Delivery.Relay;

public sealed class SmtpRelayIdentityTests
{
    private static readonly byte[] SimpleBody = Body("Subject: hi\r\n\r\nhello\r\n");
    private static readonly CertificateFiles PartnerCertificate = new("/etc/postern/partner.pem", null);

    private static QueuedMessage From(string sender) =>
        TestMessages.Create([TestMessages.Recipient("bob@remote.example")], SimpleBody, Mailbox(sender));

    private static FakeRelayRouter Routed(SmtpSink sink, RelayRoute route) =>
        new FakeRelayRouter().Add("remote.example", new RelayDestination(RelayDestinationStatus.Ok, [sink.Host()], OutboundTlsPolicy.May) { Route = route });

    private static SmtpRelayTransport Transport(IRelayRouter router, RelayIdentities identities, FakeClientTlsContext? tls = null) =>
        new(router, tls ?? new FakeClientTlsContext(), Options, identities, TimeProvider.System, NullLogger<SmtpRelayTransport>.Instance, Planner());

    [Fact]
    public async Task A_routes_client_certificate_is_asked_for_in_its_handshake()
    {
        using var certificate = ServerCertificate();
        await using var sink = new SmtpSink(new SinkOptions { StartTls = true, Certificate = certificate });
        var tls = new FakeClientTlsContext();
        var message = From("alice@example.org");

        await using var transport = Transport(Routed(sink, new RelayRoute("remote.example", null) { ClientCertificate = PartnerCertificate }), new RelayIdentities(), tls);
        var outcomes = await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Equal([PartnerCertificate], tls.RequestedCertificates);
    }

    [Fact]
    public async Task The_senders_credential_is_used_before_the_routes()
    {
        await using var sink = new SmtpSink(new SinkOptions { AuthMechanisms = ["SCRAM-SHA-256"], RequireAuth = true });
        var senders = SenderAuthFile.Parse("sender-authinfo", ["AuthInfo:@example.org \"U:alice\" \"P:pencil\""]);
        var routes = new Dictionary<string, RelayCredential> { ["remote.example"] = new("route-user", null, "wrong", []) };
        var message = From("carol@example.org");

        await using var transport = Transport(Routed(sink, new RelayRoute("remote.example", null)), new RelayIdentities(null, senders, routes));
        var outcomes = await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Equal("alice", Assert.Single(sink.Messages).AuthenticatedUser);
    }

    [Fact]
    public async Task A_kept_session_carries_only_mail_of_the_identity_it_authenticated_as()
    {
        await using var sink = new SmtpSink(new SinkOptions { AuthMechanisms = ["SCRAM-SHA-256"] });
        var senders = SenderAuthFile.Parse("sender-authinfo", ["AuthInfo:alice@example.org \"U:alice\" \"P:pencil\""]);
        await using var transport = Transport(Routed(sink, new RelayRoute("remote.example", null)), new RelayIdentities(null, senders));

        foreach (var sender in new[] { "alice@example.org", "bob@example.org", "alice@example.org" })
        {
            var message = From(sender);
            Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default)).Status);
        }

        Assert.Equal(["alice", null, "alice"], sink.Messages.Select(m => m.AuthenticatedUser));
        Assert.Equal(2, sink.Connections);
    }
}
