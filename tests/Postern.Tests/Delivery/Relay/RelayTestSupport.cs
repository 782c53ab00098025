using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Delivery.Relay;
using Postern.Delivery.Security;
using Postern.Testing.Smtp;
using Postern.Tests.Server;

namespace Postern.Tests.Delivery.Relay;

internal static class RelayTestSupport
{
    public static RelayClientOptions Options { get; } = new()
    {
        HeloName = "postern.test",
        // Bounds a broken test only; nothing asserts on time.
        ConnectTimeout = TimeSpan.FromSeconds(20),
        CommandTimeout = TimeSpan.FromSeconds(20),
        DataTimeout = TimeSpan.FromSeconds(20),
    };

    public static SmtpRelayTransport Transport(
        IRelayRouter router,
        FakeClientTlsContext? tls = null,
        IRelayCredentials? credentials = null,
        RelayClientOptions? options = null,
        TimeProvider? time = null,
        DestinationSecurityPlanner? planner = null,
        Postern.Core.TlsReporting.ITlsSessionRecorder? recorder = null,
        TlsPolicyMetrics? metrics = null,
        Microsoft.Extensions.Logging.ILogger<SmtpRelayTransport>? logger = null) =>
        new(router, tls ?? new FakeClientTlsContext(), options ?? Options, new RelayIdentities(credentials), time ?? TimeProvider.System,
            logger ?? NullLogger<SmtpRelayTransport>.Instance, planner ?? Planner(), recorder, metrics);

    /// <summary>A planner over fakes: no TLSA records anywhere unless given, and no MTA-STS policy unless given.</summary>
    public static DestinationSecurityPlanner Planner(FakeTlsaResolver? tlsa = null, FakeMtaStsPolicySource? sts = null) =>
        new(tlsa ?? new FakeTlsaResolver(), sts ?? new FakeMtaStsPolicySource());

    public static FakeRelayRouter Route(SmtpSink sink, OutboundTlsPolicy tls = OutboundTlsPolicy.May, string domain = "remote.example") =>
        new FakeRelayRouter().Add(domain, new RelayDestination(RelayDestinationStatus.Ok, [sink.Host()], tls));

    public static SmtpRelayClient Client(SmtpSink sink, OutboundTlsPolicy tls = OutboundTlsPolicy.May, RelayCredential? credential = null) =>
        new(HostSecurity.ForLevel(sink.Host(), tls), new FakeClientTlsContext(), Options, credential, TimeProvider.System, NullLogger.Instance);

    public static System.Security.Cryptography.X509Certificates.X509Certificate2 ServerCertificate() => TestTlsContext.Create("CN=sink.test", serverAuth: true);

    public static QueuedMessage Message(byte[] body, params string[] recipients) =>
        Message(body, recipients.Select(TestMessages.Recipient).ToArray());

    public static QueuedMessage Message(byte[] body, IReadOnlyList<EnvelopeRecipient> recipients, Func<Envelope, Envelope>? change = null)
    {
        var message = TestMessages.Create(recipients, body);
        return change is null ? message : message with { Envelope = change(message.Envelope) };
    }

    public static byte[] Body(string text) => Encoding.UTF8.GetBytes(text);

    public static Mailbox Mailbox(string address) => TestMessages.Recipient(address).Address;
}
