using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Policy;
using Postern.Policy.Access;

namespace Postern.Tests.Policy;

/// <summary>permit_tls_clientcerts: the seeds' CERTISSUER relaying, and the seed 004 pitfall that must not happen.</summary>
public sealed class RelayPolicyCertificateTests
{
    private const string Issuer = "/C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority";
    private const string Subject = "/C=US/ST=Washington/O=Foo Enterprises/CN=Joe User";

    private static readonly AccessMap Map = AccessMapParser.Parse(
        """
        # the seeds' entry, as the openssl | sed pipeline writes it
        CERTIssuer:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority RELAY
        CERTISSUER:/CN=Banned+20CA ERROR:"550 5.7.1 Certificates from this CA are not welcome"
        """,
        "access");

    private static async Task<PolicyDecision> CheckAsync(VerifyResult verify, string issuer = Issuer, AccessMap? map = null)
    {
        var policy = new RelayPolicy(() => new LocalDomain("example.org", LocalRecipientStatus.Known), new RelayPolicyOptions(), () => map ?? Map);
        var facts = new CertificateFacts(Subject, issuer, "", "", "Joe User", null, "00", "00", [], [], DateTimeOffset.MinValue, DateTimeOffset.MaxValue, "01");
        var peer = new CertificateVerification(verify, verify == VerifyResult.Ok ? VerifyFailure.None : VerifyFailure.Untrusted, null, facts);
        var session = new SessionFacts(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40000), new IPEndPoint(IPAddress.Loopback, 25), "mta", ListenerRole.Mta)
        {
            Tls = new TlsFacts("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, peer),
        };
        return await policy.CheckRecipientAsync(session, null, new Mailbox("someone", "elsewhere.example"), CancellationToken.None);
    }

    [Fact]
    public async Task A_verified_certificate_from_a_relay_issuer_relays_and_the_reason_names_the_line()
    {
        var decision = await CheckAsync(VerifyResult.Ok);

        Assert.True(decision.IsAccepted);
        Assert.Equal("permit_tls_clientcerts: access:2 verify=OK, certificate issuer " + Issuer + ": RELAY", decision.Reason);
    }

    [Theory]
    [InlineData(VerifyResult.Fail)]
    [InlineData(VerifyResult.No)]
    [InlineData(VerifyResult.Not)]
    [InlineData(VerifyResult.None)]
    public async Task A_certificate_that_did_not_verify_never_relays_whatever_its_dn(VerifyResult verify)
    {
        var decision = await CheckAsync(verify);

        Assert.False(decision.IsAccepted);
        Assert.Equal("550 5.7.1 <someone@elsewhere.example>: Relaying denied", decision.Reply?.ToString());
    }

    [Fact]
    public async Task An_issuer_not_in_the_map_does_not_relay()
    {
        var decision = await CheckAsync(VerifyResult.Ok, issuer: "/CN=Some Other CA");

        Assert.Equal(550, decision.Reply?.Code);
    }

    [Fact]
    public async Task An_error_entry_refuses_with_its_own_reply()
    {
        var decision = await CheckAsync(VerifyResult.Ok, issuer: "/CN=Banned CA");

        Assert.Equal("550 5.7.1 Certificates from this CA are not welcome", decision.Reply?.ToString());
    }

    [Fact]
    public async Task Without_an_access_map_certificates_grant_nothing()
    {
        var decision = await CheckAsync(VerifyResult.Ok, map: AccessMap.Empty);

        Assert.Equal(550, decision.Reply?.Code);
    }
}
