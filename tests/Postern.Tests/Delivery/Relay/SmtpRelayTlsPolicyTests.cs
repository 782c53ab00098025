using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;
using Postern.Delivery.Security;
using Postern.Testing.Smtp;
using Postern.Tests.Pki.Tls;
using Postern.Tests.Server.Telemetry;
using static Postern.Tests.Delivery.Relay.RelayTestSupport;

namespace Postern.Tests.Delivery.Relay;

/// <summary>The relay held to each host's plan: DANE, MTA-STS enforce and testing, and the hosts the plan skips; what TLS-RPT and the metrics hear.</summary>
public sealed class SmtpRelayTlsPolicyTests : IDisposable
{
    private static readonly byte[] SimpleBody = Body("Subject: hi\r\n\r\nhello\r\n");

    private readonly X509Certificate2 _certificate = ServerCertificate();
    private readonly FakeTlsaResolver _tlsa = new();
    private readonly FakeMtaStsPolicySource _sts = new();
    private readonly CollectingRecorder _recorder = new();
    private readonly MeasurementRecorder _measurements = new();

    public void Dispose()
    {
        _measurements.Dispose();
        _certificate.Dispose();
    }

    private SmtpSink TlsSink() => new(new SinkOptions { StartTls = true, Certificate = _certificate });

    private static FakeRelayRouter MxRoute(OutboundTlsPolicy tls, params RelayHost[] hosts) =>
        new FakeRelayRouter().Add("example.org", new RelayDestination(RelayDestinationStatus.Ok, hosts, tls) { IsMxDelivery = true });

    private static RelayHost Secure(SmtpSink sink, string name = "mx.example.net") => sink.Host(name) with { DnssecSecure = true };

    private async Task<RecipientOutcome> DeliverAsync(FakeRelayRouter router, FakeClientTlsContext? tls = null, TransportLogger? logger = null)
    {
        var message = Message(SimpleBody, "bob@example.org");
        await using var transport = Transport(
            router, tls, planner: Planner(_tlsa, _sts), recorder: _recorder, metrics: new TlsPolicyMetrics(_measurements.Meter), logger: logger);
        return Assert.Single(await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default));
    }

    private static TlsaAssociation EeRecordOf(X509Certificate2 certificate) =>
        new(TlsaAssociation.DaneEe, 1, 1, SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    [Fact]
    public async Task A_certificate_matching_the_tlsa_record_delivers_even_when_pkix_fails()
    {
        await using var sink = TlsSink();
        _tlsa.Secure("mx.example.net", EeRecordOf(_certificate));
        var tls = new FakeClientTlsContext(trustServer: false);
        var logger = TransportLog();

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, Secure(sink)), tls, logger);

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.True(Assert.Single(sink.Messages).Tls);
        Assert.Equal(["mx.example.net"], tls.TargetHosts);
        Assert.Contains(logger.Messages, m => m.StartsWith("STARTTLS=client, relay=mx.example.net [127.0.0.1], version=TLSv1.", StringComparison.Ordinal)
            && m.Contains(", verify=OK, dane=yes, sts=none, cipher=", StringComparison.Ordinal));
        var recorded = Assert.Single(_recorder.Outcomes);
        Assert.Equal(("example.org", TlsReportPolicyType.Tlsa, "mx.example.net", null), (recorded.PolicyDomain, recorded.PolicyType, recorded.ReceivingMxHostName, recorded.Failure));
        Assert.Equal([EeRecordOf(_certificate).ToString()], recorded.PolicyStrings);
        Assert.Equal(System.Net.IPAddress.Loopback, recorded.ReceivingAddress);
        Assert.Equal(1, _measurements.Count("postern.relay.tls.sessions", "policy=dane", "result=authenticated"));
    }

    [Fact]
    public async Task A_certificate_matching_no_tlsa_record_defers_and_the_next_mx_is_tried()
    {
        await using var wrong = TlsSink();
        await using var right = TlsSink();
        using var other = ServerCertificate();
        _tlsa.Secure("mx1.example.net", EeRecordOf(other));

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, Secure(wrong, "mx1.example.net"), Secure(right, "mx2.example.net")));

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Empty(wrong.Messages);
        Assert.Single(right.Messages);
        Assert.Equal(TlsReportResultType.TlsaInvalid, _recorder.Outcomes.Single(o => o.ReceivingMxHostName == "mx1.example.net").Failure);
        Assert.Equal(1, _measurements.Count("postern.relay.tls.sessions", "policy=dane", "result=failed"));
    }

    [Fact]
    public async Task A_mismatch_on_the_only_mx_defers_with_the_dane_reason()
    {
        await using var sink = TlsSink();
        using var other = ServerCertificate();
        _tlsa.Secure("mx.example.net", EeRecordOf(other));

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, Secure(sink)));

        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal("454 4.7.5 DANE: server certificate of mx.example.net [127.0.0.1] not authenticated: the certificate matches none of the 1 usable TLSA record", outcome.Reply.ToString());
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task Dane_requires_starttls()
    {
        await using var sink = new SmtpSink();
        _tlsa.Secure("mx.example.net", EeRecordOf(_certificate));

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, Secure(sink)));

        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.StartsWith("454 4.7.4 TLS is required", outcome.Reply.ToString(), StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
        Assert.Equal(TlsReportResultType.StartTlsNotSupported, Assert.Single(_recorder.Outcomes).Failure);
    }

    [Fact]
    public async Task Mta_sts_enforce_verifies_the_mx_name_and_defers_a_certificate_that_fails()
    {
        await using var sink = TlsSink();
        _sts.Policy("example.org", MtaStsMode.Enforce, "*.example.net");
        var tls = new FakeClientTlsContext(trustServer: false);

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, sink.Host("mx.example.net")), tls);

        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.StartsWith("454 4.7.5 MTA-STS enforce: server certificate of mx.example.net [127.0.0.1] not verified:", outcome.Reply.ToString(), StringComparison.Ordinal);
        Assert.Equal(["mx.example.net"], tls.VerifiedHosts);
        Assert.Empty(sink.Messages);
        var recorded = Assert.Single(_recorder.Outcomes);
        Assert.Equal((TlsReportPolicyType.Sts, "*.example.net", TlsReportResultType.CertificateNotTrusted), (recorded.PolicyType, recorded.PolicyMxHost, recorded.Failure));
    }

    [Fact]
    public async Task Mta_sts_enforce_delivers_over_a_verified_certificate()
    {
        await using var sink = TlsSink();
        _sts.Policy("example.org", MtaStsMode.Enforce, "mx.example.net");
        var logger = TransportLog();

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, sink.Host("mx.example.net")), logger: logger);

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Contains(logger.Messages, m => m.Contains(", verify=OK, dane=no, sts=enforce, cipher=", StringComparison.Ordinal));
        Assert.Null(Assert.Single(_recorder.Outcomes).Failure);
        Assert.Equal(1, _measurements.Count("postern.relay.tls.sessions", "policy=sts-enforce", "result=authenticated"));
    }

    [Fact]
    public async Task Mta_sts_enforce_never_connects_to_an_mx_outside_the_policy()
    {
        await using var sink = TlsSink();
        _sts.Policy("example.org", MtaStsMode.Enforce, "mx.example.net");
        var logger = TransportLog();

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, sink.Host("mx2.example.net")), logger: logger);

        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal("454 4.7.5 MTA-STS enforce: mx2.example.net not in policy", outcome.Reply.ToString());
        Assert.Equal(0, sink.Connections);
        Assert.Contains("relay=mx2.example.net, not tried: 454 4.7.5 MTA-STS enforce: mx2.example.net not in policy", logger.Messages);
        Assert.Equal(TlsReportResultType.StsPolicyInvalid, Assert.Single(_recorder.Outcomes).Failure);
        Assert.Equal(1, _measurements.Count("postern.relay.tls.sessions", "result=skipped"));
    }

    [Fact]
    public async Task Mta_sts_testing_reports_a_failed_certificate_and_delivers_anyway()
    {
        await using var sink = TlsSink();
        _sts.Policy("example.org", MtaStsMode.Testing, "mx.example.net");

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, sink.Host("mx.example.net")), new FakeClientTlsContext(trustServer: false));

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        Assert.Equal(TlsReportResultType.CertificateNotTrusted, Assert.Single(_recorder.Outcomes).Failure);
        Assert.Equal(1, _measurements.Count("postern.relay.tls.sessions", "policy=sts-testing", "result=encrypted"));
    }

    [Fact]
    public async Task Without_any_policy_the_session_is_counted_as_no_policy_found()
    {
        await using var sink = new SmtpSink();

        var outcome = await DeliverAsync(MxRoute(OutboundTlsPolicy.Dane, sink.Host("mx.example.net")));

        Assert.Equal(DeliveryStatus.Delivered, outcome.Status);
        var recorded = Assert.Single(_recorder.Outcomes);
        Assert.Equal((TlsReportPolicyType.NoPolicyFound, TlsReportResultType.StartTlsNotSupported), (recorded.PolicyType, recorded.Failure));
        Assert.Equal(1, _measurements.Count("postern.relay.tls.sessions", "policy=may", "result=plaintext"));
    }

    [Fact]
    public async Task A_kept_session_serves_only_destinations_held_to_the_same_requirement()
    {
        await using var sink = TlsSink();
        var router = new FakeRelayRouter()
            .Add("plain.example", new RelayDestination(RelayDestinationStatus.Ok, [sink.Host("mx.example.net")], OutboundTlsPolicy.May))
            .Add("example.org", new RelayDestination(RelayDestinationStatus.Ok, [sink.Host("mx.example.net")], OutboundTlsPolicy.Dane) { IsMxDelivery = true });
        _sts.Policy("example.org", MtaStsMode.Enforce, "mx.example.net");
        var options = Options with { IdleTimeout = TimeSpan.FromMinutes(1) };
        await using var transport = Transport(router, options: options, planner: Planner(_tlsa, _sts), recorder: _recorder);

        foreach (var recipient in new[] { "a@plain.example", "b@example.org", "c@example.org" })
        {
            var message = Message(SimpleBody, recipient);
            Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default)).Status);
        }

        // One session under "may", one under MTA-STS enforce reused for the third message.
        Assert.Equal(2, sink.Connections);
        // A reused session is no new attempt; the smart-host-like "may" destination is no MX delivery: one report.
        Assert.Equal("example.org", Assert.Single(_recorder.Outcomes).PolicyDomain);
    }

    [Theory]
    [InlineData(TlsRequirement.Dane, true)]
    [InlineData(TlsRequirement.StsEnforce, true)]
    [InlineData(TlsRequirement.Verify, true)]
    [InlineData(TlsRequirement.StsTesting, false)]
    [InlineData(TlsRequirement.Encrypt, false)]
    [InlineData(TlsRequirement.May, false)]
    public async Task Only_dane_mta_sts_enforce_and_verify_sessions_count_as_authenticated(TlsRequirement requirement, bool authenticated)
    {
        await using var sink = TlsSink();
        var security = new HostSecurity(sink.Host("mx.example.net"), requirement) { Tlsa = [EeRecordOf(_certificate)], ReferenceNames = ["mx.example.net"] };
        await using var client = new SmtpRelayClient(security, new FakeClientTlsContext(), Options, null, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Null(await client.ConnectAsync(default));

        Assert.Equal(authenticated, client.TlsAuthenticated);
        Assert.Equal(authenticated ? TlsSessionResult.Authenticated : TlsSessionResult.Encrypted, client.TlsResult);
    }

    [Fact]
    public async Task A_failed_check_grants_nothing()
    {
        await using var sink = TlsSink();
        using var other = ServerCertificate();
        var security = new HostSecurity(sink.Host("mx.example.net"), TlsRequirement.Dane) { Tlsa = [EeRecordOf(other)], ReferenceNames = ["mx.example.net"] };
        await using var client = new SmtpRelayClient(security, new FakeClientTlsContext(), Options, null, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.NotNull(await client.ConnectAsync(default));

        Assert.False(client.TlsAuthenticated);
        Assert.Equal(TlsSessionResult.Failed, client.TlsResult);
        Assert.False(client.IsOpen);
    }

    private static TransportLogger TransportLog() => new();

    /// <summary>The transport's mail log, kept.</summary>
    private sealed class TransportLogger : ILogger<SmtpRelayTransport>
    {
        private readonly CollectingLogger _inner = new();

        public IReadOnlyList<string> Messages => _inner.Messages;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _inner.Log(logLevel, eventId, state, exception, formatter);
    }

    private sealed class CollectingRecorder : ITlsSessionRecorder
    {
        public List<TlsSessionOutcome> Outcomes { get; } = [];

        public void Record(TlsSessionOutcome outcome)
        {
            lock (Outcomes)
            {
                Outcomes.Add(outcome);
            }
        }
    }
}
