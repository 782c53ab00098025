namespace Postern.EndToEnd;

/// <summary>
/// docs/migrating-from-sendmail.md, "Seed 004: confAUTH_MECHANISMS vs TRUST_AUTH_MECH, and the
/// EXTERNAL pitfall": every command of the section, run as written (see <see cref="SeedWalk"/>).
/// </summary>
public sealed class SeedWalkthrough004Tests
{
    [Fact]
    public async Task STARTTLS_is_compiled_in_AUTH_is_offered_and_a_forged_certificate_does_not_relay_with_EXTERNAL_trusted()
    {
        await using var walk = new SeedWalk("Seed 004");
        await using var sink = new SeedWalkSink();

        // 1. sendmail -d0.1 -bv | grep -o STARTTLS
        Assert.Contains("STARTTLS", await walk.ExpectAsync("sendmail -d0.1 -bv | grep -o STARTTLS"), StringComparison.Ordinal);

        // 2. Certificates, the access map, a user.
        await walk.ExpectAsync("postern cert ca init --name \"Zlatkovic Mail CA\"");
        await walk.ExpectAsync("postern cert issue server --host mail.example.org");
        await walk.ExpectAsync("postern cert issue client joe");
        await walk.ExpectAsync("postern cert access-entry ca/issued/joe.pem --subject > access");
        Assert.Contains("CERTSUBJECT:/CN=joe\tRELAY", await File.ReadAllTextAsync(walk["access"]), StringComparison.Ordinal);
        await walk.ExpectAsync("printf '%s\\n' \"$PASS\" | postern user add alice");

        // 3. The mechanism lists; check and serve.
        await File.WriteAllTextAsync(walk["postern.toml"], SeedWalkSink.ReplaceAddresses(walk.Toml(0)));
        var lint = await walk.ExpectAsync("postern config check --config postern.toml");
        Assert.Contains("postern.toml: OK", lint, StringComparison.Ordinal);
        Assert.Contains("warning: auth: EXTERNAL is trusted", lint, StringComparison.Ordinal);
        var server = await walk.ServeAsync("postern serve --config postern.toml", sink.Config(walk.Toml(0)), listeners: 1);
        SeedWalkSink.MapPort(walk, 25, server.EndPoint("MTA").Port);

        // 4. telnet + EHLO: STARTTLS and AUTH; EXTERNAL after TLS with Joe's certificate; relay accepted.
        var check = await walk.ExpectAsync("postern check mail.example.org:25 --ca ca/ca.pem --cert ca/issued/joe.pem --key ca/issued/joe.key --from joe@example.org --rcpt friend@far-away.example");
        var lines = check.Split('\n');
        var clear = lines.Single(l => l.StartsWith("EHLO (clear)", StringComparison.Ordinal));
        Assert.Contains("STARTTLS", clear, StringComparison.Ordinal);
        Assert.Contains("AUTH", clear, StringComparison.Ordinal);
        Assert.Contains("EXTERNAL", lines.Single(l => l.StartsWith("EHLO (TLS)", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("relay-accepted", check, StringComparison.Ordinal);

        // 5. The forgery: Joe's DN, self-signed. verify=FAIL, no relay.
        await walk.ExpectAsync("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj \"/CN=joe\" -keyout forged.key -out forged.pem");
        var explain = await walk.ExpectAsync("postern access check --config postern.toml --client 203.0.113.7 --cert forged.pem --from joe@example.org --rcpt friend@far-away.example", 1);
        Assert.Contains("verify=FAIL", explain, StringComparison.Ordinal);
        Assert.Contains("result: refused", explain, StringComparison.Ordinal);
        var (code, forged) = await walk.RunAsync("swaks --server mail.example.org --port 25 --tls --tls-cert forged.pem --tls-key forged.key --from joe@example.org --to friend@far-away.example");
        Assert.True(code != 0, forged);
        Assert.Contains("550 5.7.1 <friend@far-away.example>: Relaying denied", forged, StringComparison.Ordinal);
        await server.WaitForLogAsync(l => l.Contains("verify=FAIL", StringComparison.Ordinal));
        Assert.Empty(sink.Sink.Delivered);

        // 6. A password user relays after AUTH over TLS.
        var sent = await walk.ExpectAsync("swaks --server mail.example.org --port 25 --tls --auth PLAIN --auth-user alice --auth-password \"$PASS\" --from alice@example.org --to friend@far-away.example");
        Assert.Contains("235 2.7.0", sent, StringComparison.Ordinal);
        await sink.AssertRelayedAsync(server, sent);
    }
}
