namespace Postern.EndToEnd;

/// <summary>
/// docs/migrating-from-sendmail.md, "Seed 000: a laptop relays by its TLS client certificate":
/// every command of the section, run as written (see <see cref="SeedWalk"/>).
/// </summary>
public sealed class SeedWalkthrough000Tests
{
    [Fact]
    public async Task The_laptop_relays_by_its_issued_certificate_and_a_strangers_certificate_is_refused()
    {
        await using var walk = new SeedWalk("Seed 000");
        await using var sink = new SeedWalkSink();

        // 1. update_tls new: a CA, the server's and the laptop's certificates.
        await walk.ExpectAsync("postern cert ca init --name \"Laptop Relay CA\"");
        Assert.Contains("/CN=mail.example.org", await walk.ExpectAsync("postern cert issue server --host mail.example.org"), StringComparison.Ordinal);
        Assert.Contains("/CN=laptop", await walk.ExpectAsync("postern cert issue client laptop"), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(walk["ca/issued/laptop.key"]));

        // 3. The CERTIssuer: line.
        await walk.ExpectAsync("postern cert access-entry ca/issued/laptop.pem >> access");
        Assert.Equal("CERTISSUER:/CN=Laptop+20Relay+20CA\tRELAY\n", await File.ReadAllTextAsync(walk["access"]));

        // 2, 4, 5. The configuration, checked, served.
        await File.WriteAllTextAsync(walk["postern.toml"], SeedWalkSink.ReplaceAddresses(walk.Toml(0)));
        Assert.Contains("postern.toml: OK", await walk.ExpectAsync("postern config check --config postern.toml"), StringComparison.Ordinal);
        var server = await walk.ServeAsync("postern serve --config postern.toml", sink.Config(walk.Toml(0)), listeners: 1);
        SeedWalkSink.MapPort(walk, 25, server.EndPoint("MTA").Port);

        // 6. The laptop relays with its certificate...
        var sent = await walk.ExpectAsync("swaks --server mail.example.org --port 25 --tls --tls-cert ca/issued/laptop.pem --tls-key ca/issued/laptop.key --from joe@laptop.example --to friend@far-away.example");
        Assert.Contains("250 2.0.0 Ok: queued as", sent, StringComparison.Ordinal);
        await sink.AssertRelayedAsync(server, sent);
        await server.WaitForLogAsync(l => l.Contains("verify=OK", StringComparison.Ordinal) && l.Contains("cert-subject=/CN=laptop", StringComparison.Ordinal));

        // ...a "laptop" certificate from another CA does not.
        await walk.ExpectAsync("postern cert ca init --name \"Stranger CA\" --dir stranger");
        await walk.ExpectAsync("postern cert issue client laptop --ca-dir stranger");
        var (code, refused) = await walk.RunAsync("swaks --server mail.example.org --port 25 --tls --tls-cert stranger/issued/laptop.pem --tls-key stranger/issued/laptop.key --from joe@laptop.example --to friend@far-away.example");
        Assert.True(code != 0, refused);
        Assert.Contains("550 5.7.1 <friend@far-away.example>: Relaying denied", refused, StringComparison.Ordinal);
        await server.WaitForLogAsync(l => l.Contains("verify=FAIL", StringComparison.Ordinal));
        Assert.Single(sink.Sink.Delivered);

        // 7. The check from the laptop: verified chain, relay accepted, nothing sent.
        var check = await walk.ExpectAsync("postern check mail.example.org:25 --ca ca/ca.pem --cert ca/issued/laptop.pem --key ca/issued/laptop.key --from joe@laptop.example --rcpt friend@far-away.example");
        Assert.Contains("verify         OK", check, StringComparison.Ordinal);
        Assert.Contains("relay-accepted", check, StringComparison.Ordinal);
        Assert.Single(sink.Sink.Delivered);
    }
}
