using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme.Issuance;

public sealed class AcmeIssuerTests
{
    private static readonly string[] Domains = ["mail.example.org", "smtp.example.org"];

    [Fact]
    public async Task An_order_proves_each_name_finalizes_and_writes_key_and_chain_into_one_0600_live_file()
    {
        using var bed = new AcmeTestBed();
        await bed.Server.RegisterAsync(new AcmeAccountRequest([], true, null, null), CancellationToken.None);

        var issued = await Issue(bed, AcmeKeyTypes.Ecdsa);

        Assert.Equal(Domains, issued.Domains);
        Assert.Equal(FakeAcmeServer.CaName, issued.Issuer);
        Assert.Equal(TimeSpan.FromDays(90), issued.Lifetime);
        Assert.NotNull(issued.CertId);
        Assert.Equal(2, bed.Responder.Published);
        Assert.Equal(2, bed.Responder.Withdrawn.Count);
        Assert.Equal(1, bed.Server.Finalized);
        var live = bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(live));
        var pem = await File.ReadAllTextAsync(live);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        using var certificate = X509Certificate2.CreateFromPemFile(live, live);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(issued.Serial, certificate.SerialNumber);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(live);
        Assert.Equal(2, chain.Count);
    }

    [Fact]
    public async Task Every_issuance_has_a_new_key_and_rsa_gives_an_rsa_certificate()
    {
        using var bed = new AcmeTestBed();
        await bed.Server.RegisterAsync(new AcmeAccountRequest([], true, null, null), CancellationToken.None);
        await Issue(bed, AcmeKeyTypes.Ecdsa);
        var first = await File.ReadAllTextAsync(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa));
        await Issue(bed, AcmeKeyTypes.Ecdsa);
        var second = await File.ReadAllTextAsync(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa));
        Assert.NotEqual(KeyBlock(first), KeyBlock(second));

        await Issue(bed, AcmeKeyTypes.Rsa);
        var rsaFile = bed.Store.Layout.LiveFile(AcmeKeyTypes.Rsa);
        using var rsa = X509Certificate2.CreateFromPemFile(rsaFile, rsaFile);
        Assert.NotNull(rsa.GetRSAPublicKey());
    }

    [Fact]
    public async Task A_challenge_type_the_server_does_not_offer_fails_naming_those_it_does()
    {
        using var bed = new AcmeTestBed();
        await bed.Server.RegisterAsync(new AcmeAccountRequest([], true, null, null), CancellationToken.None);
        bed.Server.Offers = ["dns-01"];

        var e = await Assert.ThrowsAsync<AcmeException>(() => Issue(bed, AcmeKeyTypes.Ecdsa));

        Assert.Equal("the server offers no http-01 challenge for mail.example.org (it offers dns-01); set acme.challenge to one of those", e.Message);
        Assert.False(File.Exists(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa)));
    }

    [Fact]
    public async Task A_failed_validation_reports_the_servers_problem_withdraws_and_keeps_the_live_file()
    {
        using var bed = new AcmeTestBed();
        await bed.Server.RegisterAsync(new AcmeAccountRequest([], true, null, null), CancellationToken.None);
        await Issue(bed, AcmeKeyTypes.Ecdsa);
        var before = await File.ReadAllTextAsync(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa));
        var wrong = new FakeResponder();
        using var server = new FakeAcmeServer(bed.Responder, bed.Clock);
        await server.RegisterAsync(new AcmeAccountRequest([], true, null, null), CancellationToken.None);
        // The server checks bed.Responder, but the issuer publishes on another responder: nothing is served.
        var issuer = new AcmeIssuer(server, wrong, bed.Store, bed.Clock);

        var e = await Assert.ThrowsAsync<AcmeException>(() => ClockPump.RunAsync(bed.Clock, () => issuer.IssueAsync(Domains, AcmeKeyTypes.Ecdsa, null, CancellationToken.None)));

        Assert.StartsWith("http-01 for mail.example.org failed: unauthorized: The key authorization file from the server did not match", e.Message, StringComparison.Ordinal);
        Assert.Equal("unauthorized", e.Problem?.ShortType);
        Assert.Single(wrong.Withdrawn);
        Assert.Equal(before, await File.ReadAllTextAsync(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa)));
    }

    [Fact]
    public async Task A_chain_that_lacks_a_name_or_certifies_another_key_is_refused_and_not_written()
    {
        using var bed = new AcmeTestBed();
        await bed.Server.RegisterAsync(new AcmeAccountRequest([], true, null, null), CancellationToken.None);
        bed.Server.OmitName = "smtp.example.org";
        var missing = await Assert.ThrowsAsync<AcmeException>(() => Issue(bed, AcmeKeyTypes.Ecdsa));
        Assert.Equal("the issued certificate does not name smtp.example.org", missing.Message);

        bed.Server.OmitName = null;
        bed.Server.WrongKey = true;
        var wrongKey = await Assert.ThrowsAsync<AcmeException>(() => Issue(bed, AcmeKeyTypes.Ecdsa));
        Assert.StartsWith("the issued certificate is not for the key of the request", wrongKey.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(bed.Store.Layout.LiveFile(AcmeKeyTypes.Ecdsa)));
    }

    [Fact]
    public async Task A_refused_replaces_is_ordered_again_without_it()
    {
        using var bed = new AcmeTestBed();
        await bed.Server.RegisterAsync(new AcmeAccountRequest([], true, null, null), CancellationToken.None);
        bed.Server.RefuseReplaces = true;

        await ClockPump.RunAsync(bed.Clock, () => bed.Issuer().IssueAsync(Domains, AcmeKeyTypes.Ecdsa, "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", CancellationToken.None));

        Assert.Equal(["aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", null], bed.Server.Replaces);
    }

    [Fact]
    public async Task An_order_that_never_finishes_fails_at_the_five_minute_deadline()
    {
        using var bed = new AcmeTestBed();
        await bed.Server.RegisterAsync(new AcmeAccountRequest([], true, null, null), CancellationToken.None);
        bed.Server.ProcessingPolls = int.MaxValue;
        var started = bed.Clock.GetUtcNow();

        var e = await Assert.ThrowsAsync<AcmeException>(() => ClockPump.RunAsync(bed.Clock, () => bed.Issuer().IssueAsync(Domains, AcmeKeyTypes.Ecdsa, null, CancellationToken.None), TimeSpan.FromSeconds(5)));

        Assert.Equal("the order did not complete within 5 minutes", e.Message);
        Assert.InRange(bed.Clock.GetUtcNow() - started, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
    }

    private static Task<AcmeCertificate> Issue(AcmeTestBed bed, AcmeKeyTypes keyType) =>
        ClockPump.RunAsync(bed.Clock, () => bed.Issuer().IssueAsync(Domains, keyType, null, CancellationToken.None));

    private static string KeyBlock(string pem) => pem[..pem.IndexOf("-----END PRIVATE KEY-----", StringComparison.Ordinal)];
}
