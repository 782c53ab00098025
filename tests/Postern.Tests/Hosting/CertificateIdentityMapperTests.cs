using Postern.Core.Auth;
using Postern.Core.Tls;
using Postern.Hosting;
using Postern.Policy.Access;

namespace Postern.Tests.Hosting;

public sealed class CertificateIdentityMapperTests
{
    private const string Issuer = "/C=US/O=Foo Enterprises/CN=Joe's Certificate Authority";
    private const string Subject = "/C=US/O=Foo Enterprises/CN=Joe User";
    private static readonly string Fingerprint = new('a', 64);

    private static readonly CertificateFacts Joe = new(
        Subject, Issuer, "CN=Joe User", "CN=Joe's Certificate Authority", "Joe User", "Joe's Certificate Authority",
        Fingerprint, new string('b', 64), [], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100), "01");

    private static CertificateVerification With(VerifyResult result) =>
        new(result, result == VerifyResult.Ok ? VerifyFailure.None : VerifyFailure.Untrusted, null, Joe);

    private static Task<string?> IdentityAsync(string map, VerifyResult result, params UserRecord[] users) =>
        new CertificateIdentityMapper(new Users(users), AccessMapSource.File(() => AccessMapParser.Parse(map, "access")))
            .IdentityOfAsync(With(result), CancellationToken.None).AsTask();

    [Fact]
    public async Task A_bound_user_is_the_identity()
    {
        var alice = new UserRecord("alice") { CertificateFingerprints = [Fingerprint] };
        Assert.Equal("alice", await IdentityAsync("", VerifyResult.Ok, alice));
    }

    [Fact]
    public async Task A_disabled_bound_user_is_nobody()
    {
        var alice = new UserRecord("alice") { CertificateFingerprints = [Fingerprint], Disabled = true };
        Assert.Null(await IdentityAsync("", VerifyResult.Ok, alice));
    }

    [Theory]
    [InlineData("CERTISSUER:/C=US/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority SUBJECT\nCERTSUBJECT:/C=US/O=Foo+20Enterprises/CN=Joe+20User RELAY\n")]
    [InlineData("CERTFP:sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa OK\n")]
    [InlineData("CERTSPKI:sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb RELAY\n")]
    public async Task An_access_entry_naming_this_certificate_makes_its_subject_the_identity(string map)
    {
        Assert.Equal(Subject, await IdentityAsync(map, VerifyResult.Ok));
    }

    [Fact]
    public async Task An_issuer_entry_admits_a_whole_CA_and_names_nobody()
    {
        Assert.Null(await IdentityAsync("CERTISSUER:/C=US/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority RELAY\n", VerifyResult.Ok));
    }

    [Theory]
    [InlineData(VerifyResult.Fail)]
    [InlineData(VerifyResult.No)]
    [InlineData(VerifyResult.None)]
    public async Task A_certificate_that_did_not_verify_names_nobody_even_when_bound_and_listed(VerifyResult result)
    {
        var alice = new UserRecord("alice") { CertificateFingerprints = [Fingerprint] };
        Assert.Null(await IdentityAsync("CERTFP:sha256:" + Fingerprint + " RELAY\n", result, alice));
    }

    private sealed class Users(UserRecord[] users) : IUserDirectory
    {
        public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(users.FirstOrDefault(u => u.Name == name));

        public ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken) =>
            ValueTask.FromResult(users.FirstOrDefault(u => u.CertificateFingerprints.Contains(fingerprintSha256)));
    }
}
