namespace Postern.EndToEnd;

/// <summary>
/// docs/migrating-from-sendmail.md, "Seed 001: a local CA, certificates by CA and by subject":
/// every command of the section, run as written (see <see cref="SeedWalk"/>).
/// </summary>
public sealed class SeedWalkthrough001Tests
{
    private const string JaneCheck = "postern access check --config postern.toml --client 203.0.113.7 --cert \"ca/issued/Jane Roe.pem\" --from jane@example.org --rcpt friend@far-away.example";

    [Fact]
    public async Task Joes_CA_issues_relays_by_issuer_then_by_subject_and_exports_a_PKCS12()
    {
        await using var walk = new SeedWalk("Seed 001");
        await using var sink = new SeedWalkSink();

        // 1-4. The CA, the server, the DN for the access map, the users.
        await walk.ExpectAsync("postern cert ca init --subject \"/C=US/ST=Washington/O=Foo Enterprises\" --name \"Joe's Certificate Authority\"");
        await walk.ExpectAsync("postern cert issue server --host mail.example.org");
        var show = await walk.ExpectAsync("postern cert show ca/ca.pem");
        Assert.Contains("/C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", show, StringComparison.Ordinal);
        Assert.Contains("CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tRELAY", show, StringComparison.Ordinal);
        await walk.ExpectAsync("postern cert issue client \"Joe User\" --email joe@example.org");
        await walk.ExpectAsync("postern cert issue client \"Jane Roe\" --email jane@example.org");
        await File.WriteAllTextAsync(walk["postern.toml"], SeedWalkSink.ReplaceAddresses(walk.Toml(0)));

        // 6. By issuer: Jane may relay too.
        await walk.ExpectAsync("postern cert access-entry \"ca/issued/Joe User.pem\" > access");
        var byIssuer = await walk.ExpectAsync(JaneCheck, 0);
        Assert.Contains("verify=OK", byIssuer, StringComparison.Ordinal);
        Assert.Contains("result: accepted", byIssuer, StringComparison.Ordinal);

        // 7. By subject: Joe only.
        await walk.ExpectAsync("postern cert access-entry \"ca/issued/Joe User.pem\" --subject > access");
        Assert.Equal(
            "CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tSUBJECT\n"
            + "CERTSUBJECT:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe+20User\tRELAY\n",
            await File.ReadAllTextAsync(walk["access"]));
        var bySubject = await walk.ExpectAsync(JaneCheck, 1);
        Assert.Contains("550 5.7.1 <friend@far-away.example>: Relaying denied", bySubject, StringComparison.Ordinal);
        Assert.Contains("result: refused", bySubject, StringComparison.Ordinal);

        // 8. Serve; telnet + EHLO: STARTTLS offered, the chain verifies against Joe's CA.
        var server = await walk.ServeAsync("postern serve --config postern.toml", sink.Config(walk.Toml(0)), listeners: 1);
        SeedWalkSink.MapPort(walk, 25, server.EndPoint("MTA").Port);
        var check = await walk.ExpectAsync("postern check mail.example.org:25 --ca ca/ca.pem");
        var ehlo = check.Split('\n').Single(l => l.StartsWith("EHLO (clear)", StringComparison.Ordinal));
        Assert.Contains("STARTTLS", ehlo, StringComparison.Ordinal);
        Assert.Contains("issuer       /C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", check, StringComparison.Ordinal);
        Assert.Contains("verify         OK", check, StringComparison.Ordinal);

        // 9. Joe relays, Jane does not.
        var joe = await walk.ExpectAsync("swaks --server mail.example.org --port 25 --tls --tls-cert \"ca/issued/Joe User.pem\" --tls-key \"ca/issued/Joe User.key\" --from joe@example.org --to friend@far-away.example");
        await sink.AssertRelayedAsync(server, joe);
        var (code, jane) = await walk.RunAsync("swaks --server mail.example.org --port 25 --tls --tls-cert \"ca/issued/Jane Roe.pem\" --tls-key \"ca/issued/Jane Roe.key\" --from jane@example.org --to friend@far-away.example");
        Assert.True(code != 0, jane);
        Assert.Contains("550 5.7.1 <friend@far-away.example>: Relaying denied", jane, StringComparison.Ordinal);
        Assert.Single(sink.Sink.Delivered);

        // 10. The PKCS#12 bundle opens with openssl.
        await walk.ExpectAsync("printf '%s\\n' \"$PASS\" | postern cert export \"Joe User\" --p12 --name \"Joe User's Personal Certificate\"");
        var p12 = await walk.ExpectAsync("openssl pkcs12 -in \"ca/issued/Joe User.p12\" -passin env:PASS -nodes -info");
        Assert.Contains("friendlyName: Joe User's Personal Certificate", p12, StringComparison.Ordinal);
        Assert.Contains("BEGIN PRIVATE KEY", p12, StringComparison.Ordinal);
    }
}
