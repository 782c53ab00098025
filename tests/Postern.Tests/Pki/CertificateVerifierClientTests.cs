using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Pki.Certificates;
using static Postern.Tests.Pki.TestCertificates;

namespace Postern.Tests.Pki;

public sealed class CertificateVerifierClientTests : IDisposable
{
    private readonly X509Certificate2 _ca = CreateRootCa("CN=Test CA, O=Postern Tests");
    private readonly X509Certificate2 _otherCa = CreateRootCa("CN=Other CA");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public void Certificate_from_the_configured_ca_is_ok_with_facts()
    {
        using var leaf = CreateLeaf("CN=Jason Heiss, O=Foo", _ca);

        var result = Verify(leaf);

        Assert.Equal(VerifyResult.Ok, result.Result);
        Assert.Equal(VerifyFailure.None, result.Failure);
        Assert.Null(result.Reason);
        Assert.Equal("/O=Foo/CN=Jason Heiss", result.Certificate!.Subject);
        Assert.Equal("/O=Postern Tests/CN=Test CA", result.Certificate.Issuer);
        Assert.Equal(CertificateFingerprint.Sha256(leaf), result.Certificate.FingerprintSha256);
    }

    [Fact]
    public void Expired_certificate_fails_with_its_end_date()
    {
        using var leaf = CreateLeaf(new X500DistinguishedName("CN=old"), _ca, notBefore: Now.AddYears(-1), notAfter: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var result = Verify(leaf);

        AssertFail(result, VerifyFailure.Expired);
        Assert.Equal("certificate expired 2026-01-01", result.Reason);
        Assert.NotNull(result.Certificate);
    }

    [Fact]
    public void Not_yet_valid_certificate_fails_with_its_start_date()
    {
        using var leaf = CreateLeaf(new X500DistinguishedName("CN=future"), _ca, notBefore: Now.AddDays(2), notAfter: Now.AddYears(1));

        var result = Verify(leaf);

        AssertFail(result, VerifyFailure.NotYetValid);
        Assert.Equal("certificate not valid before 2026-06-03", result.Reason);
    }

    [Fact]
    public void Certificate_from_another_ca_is_untrusted()
    {
        using var leaf = CreateLeaf("CN=stranger", _otherCa);

        var result = Verify(leaf);

        AssertFail(result, VerifyFailure.Untrusted);
        Assert.Equal("issuer not trusted: /CN=Other CA", result.Reason);
        Assert.Equal("/CN=Other CA", result.Certificate!.Issuer);
    }

    [Fact]
    public void Forged_certificate_with_the_same_subject_and_issuer_names_as_a_good_one_fails()
    {
        // The access map matches on names: a certificate that merely copies a good one's subject
        // and issuer must never be OK, or CERTISSUER/CERTSUBJECT entries would relay for anyone.
        using var good = CreateLeaf("CN=relay client", _ca);
        using var forged = CreateForgedLeaf(good.SubjectName, good.IssuerName);

        var goodResult = Verify(good);
        var forgedResult = Verify(forged);

        Assert.True(goodResult.IsOk);
        AssertFail(forgedResult, VerifyFailure.Untrusted);
        Assert.Equal(goodResult.Certificate!.Subject, forgedResult.Certificate!.Subject);
        Assert.Equal(goodResult.Certificate.Issuer, forgedResult.Certificate.Issuer);
    }

    [Fact]
    public void Self_signed_certificate_copying_the_ca_name_fails()
    {
        using var impostor = CreateSelfSigned(_ca.SubjectName);

        var result = Verify(impostor);

        AssertFail(result, VerifyFailure.Untrusted);
        Assert.Equal(DistinguishedNameFormatter.ToSendmail(_ca.SubjectName), result.Certificate!.Issuer);
    }

    [Fact]
    public void Self_signed_certificate_that_is_itself_the_configured_ca_is_ok()
    {
        // Debian's update_tls recipe: one self-signed certificate as client certificate and as CA.
        using var own = CreateSelfSigned(new X500DistinguishedName("CN=laptop"));

        var result = CertificateVerifier.VerifyClient(own, [], Anchors(own), null, Now);

        Assert.True(result.IsOk, result.Reason);
    }

    [Fact]
    public void Server_auth_only_eku_is_bad_usage()
    {
        using var leaf = CreateLeaf("CN=server", _ca, ServerUsage);

        var result = Verify(leaf);

        AssertFail(result, VerifyFailure.BadUsage);
        Assert.Equal("certificate not valid for client authentication", result.Reason);
    }

    [Fact]
    public void No_eku_is_ok()
    {
        using var leaf = CreateLeaf("CN=any use", _ca, _ => { });

        Assert.True(Verify(leaf).IsOk);
    }

    [Fact]
    public void Key_usage_without_digital_signature_is_bad_usage()
    {
        using var leaf = CreateLeaf("CN=encipher only", _ca, request =>
        {
            ClientUsage(request);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, true));
        });
        using var signing = CreateLeaf("CN=signs", _ca, request =>
        {
            ClientUsage(request);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        });

        AssertFail(Verify(leaf), VerifyFailure.BadUsage);
        Assert.True(Verify(signing).IsOk);
    }

    [Fact]
    public void Intermediate_sent_by_the_client_completes_the_chain()
    {
        using var intermediate = CreateIntermediateCa("CN=Issuing CA", _ca);
        using var leaf = CreateLeaf("CN=via intermediate", intermediate);
        using var intermediatePublic = X509CertificateLoader.LoadCertificate(intermediate.RawData);

        var withIntermediate = CertificateVerifier.VerifyClient(leaf, [intermediatePublic], Anchors(_ca), null, Now);
        var without = CertificateVerifier.VerifyClient(leaf, [], Anchors(_ca), null, Now);

        Assert.True(withIntermediate.IsOk, withIntermediate.Reason);
        Assert.Equal("/CN=Issuing CA", withIntermediate.Certificate!.Issuer);
        AssertFail(without, VerifyFailure.Untrusted);
        Assert.Equal("issuer not trusted: /CN=Issuing CA", without.Reason);
    }

    [Fact]
    public void Certificate_listed_in_a_crl_of_its_issuer_is_revoked()
    {
        using var revoked = CreateLeaf("CN=lost laptop", _ca);
        using var kept = CreateLeaf("CN=still fine", _ca);
        var crls = CrlReader.Read(TestCrls.Create(_ca, null, revoked), Anchors(_ca), Now);

        var result = CertificateVerifier.VerifyClient(revoked, [], Anchors(_ca), crls, Now);

        AssertFail(result, VerifyFailure.Revoked);
        Assert.Equal($"certificate revoked (serial {revoked.SerialNumber}) by /O=Postern Tests/CN=Test CA", result.Reason);
        Assert.True(CertificateVerifier.VerifyClient(kept, [], Anchors(_ca), crls, Now).IsOk);
    }

    [Fact]
    public void Crl_of_another_issuer_does_not_revoke_a_matching_serial()
    {
        var serial = NewSerial();
        using var leaf = CreateLeaf(new X500DistinguishedName("CN=same serial"), _ca, serial: serial);
        using var otherLeaf = CreateLeaf(new X500DistinguishedName("CN=same serial elsewhere"), _otherCa, serial: serial);
        var crls = CrlReader.Read(TestCrls.Create(_otherCa, null, otherLeaf), Anchors(_ca, _otherCa), Now);

        Assert.True(CertificateVerifier.VerifyClient(leaf, [], Anchors(_ca), crls, Now).IsOk);
    }

    [Fact]
    public void Revoked_intermediate_revokes_the_certificates_under_it()
    {
        using var intermediate = CreateIntermediateCa("CN=Compromised CA", _ca);
        using var leaf = CreateLeaf("CN=under it", intermediate);
        var crls = CrlReader.Read(TestCrls.Create(_ca, null, intermediate), Anchors(_ca), Now);

        var result = CertificateVerifier.VerifyClient(leaf, [intermediate], Anchors(_ca), crls, Now);

        AssertFail(result, VerifyFailure.Revoked);
        Assert.StartsWith("CA certificate /CN=Compromised CA revoked", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_configured_ca_fails_untrusted()
    {
        using var leaf = CreateLeaf("CN=x", _ca);

        var result = CertificateVerifier.VerifyClient(leaf, [], [], null, Now);

        AssertFail(result, VerifyFailure.Untrusted);
        Assert.Equal("no CA configured", result.Reason);
        Assert.NotNull(result.Certificate);
    }

    [Fact]
    public void Verification_uses_the_given_time_not_the_clock()
    {
        using var leaf = CreateLeaf(new X500DistinguishedName("CN=window"), _ca, notBefore: Now.AddDays(-1), notAfter: Now.AddDays(1));

        Assert.True(Verify(leaf).IsOk);
        AssertFail(CertificateVerifier.VerifyClient(leaf, [], Anchors(_ca), null, Now.AddDays(2)), VerifyFailure.Expired);
        AssertFail(CertificateVerifier.VerifyClient(leaf, [], Anchors(_ca), null, Now.AddDays(-2)), VerifyFailure.NotYetValid);
    }

    [Fact]
    public void Caller_certificates_stay_usable_after_verification()
    {
        using var intermediate = CreateIntermediateCa("CN=Issuing CA", _ca);
        using var leaf = CreateLeaf("CN=x", intermediate);

        Verify(leaf, intermediate);

        Assert.NotEmpty(leaf.RawData);
        Assert.NotEmpty(intermediate.RawData);
        Assert.NotEmpty(_ca.RawData);
        Assert.True(Verify(leaf, intermediate).IsOk);
    }

    private CertificateVerification Verify(X509Certificate2 certificate, params X509Certificate2[] intermediates) =>
        CertificateVerifier.VerifyClient(certificate, intermediates, Anchors(_ca), null, Now);

    private static void AssertFail(CertificateVerification result, VerifyFailure failure)
    {
        Assert.Equal(VerifyResult.Fail, result.Result);
        Assert.Equal(failure, result.Failure);
        Assert.False(result.IsOk);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }
}
