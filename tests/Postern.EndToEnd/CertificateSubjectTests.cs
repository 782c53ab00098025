namespace Postern.EndToEnd;

/// <summary>
/// CERTSUBJECT-only entries (<c>postern cert access-entry --subject</c>: the issuer with SUBJECT,
/// then the subject with RELAY): of two verified certificates from Joe's CA only the listed
/// subject relays.
/// </summary>
public sealed class CertificateSubjectTests
{
    [Theory]
    [InlineData("client", true)]
    [InlineData("other", false)]
    public async Task Only_the_listed_subject_of_the_trusted_issuer_relays(string certificate, bool relays)
    {
        using var pki = new TestPki();
        var (entryCode, entry) = await Binary.RunAsync("cert", "access-entry", pki["client.pem"], "--subject");
        Assert.True(entryCode == 0, entry);
        Assert.Contains("\tSUBJECT\nCERTSUBJECT:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe+20User\tRELAY", entry.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        await using var hub = await CertificateHub.StartWithMapAsync(pki, entry);
        var token = "subject-" + Guid.NewGuid().ToString("N");

        var (code, transcript) = await Swaks.SendAsync(pki, hub.Port, certificate, "joe@laptop.test", CertificateCases.Recipient, token);

        if (relays)
        {
            Assert.True(code == 0, transcript);
            await hub.AssertRelayedAsync(token, CertificateCases.Recipient, transcript);
            return;
        }
        Assert.True(code != 0, transcript);
        Assert.Contains("<~* 550 5.7.1 <someone@remote.test>: Relaying denied", transcript, StringComparison.Ordinal);
        await hub.Postern.WaitForLogAsync(l => l.Contains("cert-subject=/C=US/ST=Washington/O=Foo Enterprises/CN=Other User", StringComparison.Ordinal));
        await hub.AssertRefusedAsync(CertificateCases.Recipient, verify: "OK");
        await CertificateCases.AssertQueueEmptyAsync(hub);
    }
}
