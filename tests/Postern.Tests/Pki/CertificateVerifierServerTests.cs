using System.Net;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Pki.Certificates;
using static Postern.Tests.Pki.TestCertificates;

namespace Postern.Tests.Pki;

public sealed class CertificateVerifierServerTests : IDisposable
{
    private readonly X509Certificate2 _ca = CreateRootCa("CN=Server CA");

    public void Dispose() => _ca.Dispose();

    [Theory]
    [InlineData("mx.example.org")]
    [InlineData("MX.Example.ORG")]
    [InlineData("mx.example.org.")]
    [InlineData("smtp.example.net")]
    public void Exact_san_names_match_ignoring_case_and_a_trailing_dot(string host)
    {
        using var leaf = CreateLeaf("CN=ignored", _ca, ServerFor("mx.example.org", "smtp.example.net"));

        var result = Verify(leaf, host);

        Assert.True(result.IsOk, result.Reason);
    }

    [Theory]
    [InlineData("a.example.org", true)]
    [InlineData("mail.example.org", true)]
    [InlineData("a.b.example.org", false)]
    [InlineData("example.org", false)]
    [InlineData(".example.org", false)]
    [InlineData("a.example.net", false)]
    public void Wildcard_covers_exactly_one_left_most_label(string host, bool matches)
    {
        using var leaf = CreateLeaf("CN=wild", _ca, ServerFor("*.example.org"));

        var result = Verify(leaf, host);

        Assert.Equal(matches, result.IsOk);
        if (!matches)
        {
            Assert.Equal(VerifyFailure.HostNameMismatch, result.Failure);
        }
    }

    [Theory]
    [InlineData("f*.example.org", "foo.example.org")]
    [InlineData("*.org", "example.org")]
    [InlineData("a.*.example.org", "a.b.example.org")]
    public void Partial_and_too_broad_wildcards_match_nothing(string pattern, string host)
    {
        using var leaf = CreateLeaf("CN=bad wildcard", _ca, ServerFor(pattern));

        Assert.Equal(VerifyFailure.HostNameMismatch, Verify(leaf, host).Failure);
    }

    [Fact]
    public void Common_name_is_used_only_without_san_dns_names()
    {
        using var cnOnly = CreateLeaf("CN=mx.example.org", _ca, ServerFor());
        using var withSan = CreateLeaf("CN=mx.example.org", _ca, ServerFor("other.example.org"));

        Assert.True(Verify(cnOnly, "mx.example.org").IsOk);
        Assert.Equal(VerifyFailure.HostNameMismatch, Verify(withSan, "mx.example.org").Failure);
    }

    [Fact]
    public void Mismatch_fails_and_names_what_the_certificate_is_for()
    {
        using var leaf = CreateLeaf("CN=x", _ca, ServerFor("mx.example.org", "mx2.example.org"));

        var result = Verify(leaf, "evil.example.com");

        Assert.Equal(VerifyResult.Fail, result.Result);
        Assert.Equal(VerifyFailure.HostNameMismatch, result.Failure);
        Assert.Equal("host name evil.example.com does not match certificate (mx.example.org, mx2.example.org)", result.Reason);
        Assert.NotNull(result.Certificate);
    }

    [Fact]
    public void Ip_literal_matches_san_ip_addresses_only()
    {
        using var leaf = CreateLeaf("CN=192.0.2.1", _ca, request =>
        {
            ServerUsage(request);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Parse("192.0.2.7"));
            request.CertificateExtensions.Add(san.Build());
        });

        Assert.True(Verify(leaf, "192.0.2.7").IsOk);
        Assert.True(Verify(leaf, "[192.0.2.7]").IsOk);
        Assert.Equal(VerifyFailure.HostNameMismatch, Verify(leaf, "192.0.2.1").Failure);
    }

    [Fact]
    public void Client_auth_only_certificate_is_bad_usage_for_a_server()
    {
        using var leaf = CreateLeaf("CN=mx.example.org", _ca, ClientUsage);

        var result = Verify(leaf, "mx.example.org");

        Assert.Equal(VerifyFailure.BadUsage, result.Failure);
        Assert.Equal("certificate not valid for server authentication", result.Reason);
    }

    [Fact]
    public void Trust_is_checked_before_the_host_name()
    {
        using var other = CreateRootCa("CN=Unknown CA");
        using var leaf = CreateLeaf("CN=x", other, ServerFor("mx.example.org"));

        Assert.Equal(VerifyFailure.Untrusted, Verify(leaf, "mx.example.org").Failure);
        Assert.Equal(VerifyFailure.Untrusted, Verify(leaf, "wrong.example.org").Failure);
    }

    [Fact]
    public void System_store_does_not_trust_a_private_ca()
    {
        using var leaf = CreateLeaf("CN=x", _ca, ServerFor("mx.example.org"));

        var result = CertificateVerifier.VerifyServer(leaf, [], null, "mx.example.org", Now);

        Assert.Equal(VerifyFailure.Untrusted, result.Failure);
    }

    private CertificateVerification Verify(X509Certificate2 certificate, string host) =>
        CertificateVerifier.VerifyServer(certificate, [], Anchors(_ca), host, Now);
}
