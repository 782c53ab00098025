namespace Postern.EndToEnd;

/// <summary>
/// docs/migrating-from-sendmail.md, "Seed 002: TLS, never SSL; port 465; keys and certificates":
/// every command of the section, run as written (see <see cref="SeedWalk"/>).
/// </summary>
public sealed class SeedWalkthrough002Tests
{
    [Fact]
    public async Task Port_465_speaks_TLS_only_and_the_other_servers_certificate_verifies()
    {
        await using var walk = new SeedWalk("Seed 002");
        await using var sink = new SeedWalkSink();

        // 1. Keys and certificates, mode 0600.
        await walk.ExpectAsync("postern cert ca init --name \"Example Mail CA\" --days 3650");
        await walk.ExpectAsync("postern cert issue server --host mail.example.org");
        await walk.ExpectAsync("postern cert issue client mx2.example.org");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(walk["ca/issued/mail.example.org.key"]));

        // 2, 3. Configuration, check, serve, openssl on 465.
        await File.WriteAllTextAsync(walk["postern.toml"], SeedWalkSink.ReplaceAddresses(walk.Toml(0)));
        Assert.Contains("postern.toml: OK", await walk.ExpectAsync("postern config check --config postern.toml"), StringComparison.Ordinal);
        var server = await walk.ServeAsync("postern serve --config postern.toml", sink.Config(walk.Toml(0)), listeners: 2);
        SeedWalkSink.MapPort(walk, 465, server.EndPoint("SMTPS").Port);
        var openssl = await walk.ExpectAsync("openssl s_client -connect mail.example.org:465 -CAfile ca/ca.pem -verify_return_error -brief </dev/null");
        Assert.Matches("Protocol version: TLSv1\\.[23]", openssl);
        Assert.Contains("Verification: OK", openssl, StringComparison.Ordinal);

        // 4. No TLS 1.0/1.1, and mx2's client certificate verifies (mutual authentication).
        var check = await walk.ExpectAsync("postern check mail.example.org:465 --implicit --ca ca/ca.pem --cert ca/issued/mx2.example.org.pem --key ca/issued/mx2.example.org.key");
        Assert.Contains("verify         OK", check, StringComparison.Ordinal);
        Assert.Contains("(implicit)", check, StringComparison.Ordinal);
        Assert.DoesNotContain("tls10-accepted", check, StringComparison.Ordinal);
        Assert.DoesNotContain("tls11-accepted", check, StringComparison.Ordinal);
        await server.WaitForLogAsync(l => l.Contains("verify=OK", StringComparison.Ordinal) && l.Contains("cert-subject=/CN=mx2.example.org", StringComparison.Ordinal));
    }
}
