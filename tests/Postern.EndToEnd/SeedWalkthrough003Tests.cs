namespace Postern.EndToEnd;

/// <summary>
/// docs/migrating-from-sendmail.md, "Seed 003: SMTP AUTH, TLS and an SSL-only port 465":
/// every command of the section, run as written (see <see cref="SeedWalk"/>).
/// </summary>
public sealed class SeedWalkthrough003Tests
{
    [Fact]
    public async Task A_client_without_STARTTLS_authenticates_on_465_and_relays()
    {
        await using var walk = new SeedWalk("Seed 003");
        await using var sink = new SeedWalkSink();

        // 1-3. Certificate, user, configuration, serve.
        await walk.ExpectAsync("postern cert selfsigned --host mail.example.org");
        await walk.ExpectAsync("printf '%s\\n' \"$PASS\" | postern user add alice");
        await File.WriteAllTextAsync(walk["postern.toml"], SeedWalkSink.ReplaceAddresses(walk.Toml(0)));
        Assert.Contains("postern.toml: OK", await walk.ExpectAsync("postern config check --config postern.toml"), StringComparison.Ordinal);
        var server = await walk.ServeAsync("postern serve --config postern.toml", sink.Config(walk.Toml(0)), listeners: 2);
        SeedWalkSink.MapPort(walk, 587, server.EndPoint("MSA").Port);
        SeedWalkSink.MapPort(walk, 465, server.EndPoint("SSA").Port);

        // 4. No password mechanism before TLS.
        var check = await walk.ExpectAsync("postern check mail.example.org:587 --ca tls/ca.pem");
        var lines = check.Split('\n');
        var clear = lines.Single(l => l.StartsWith("AUTH (clear)", StringComparison.Ordinal));
        var tls = lines.Single(l => l.StartsWith("AUTH (TLS)", StringComparison.Ordinal));
        Assert.DoesNotContain("PLAIN", clear, StringComparison.Ordinal);
        Assert.DoesNotContain("LOGIN", clear, StringComparison.Ordinal);
        Assert.Contains("LOGIN", tls, StringComparison.Ordinal);
        Assert.Contains("PLAIN", tls, StringComparison.Ordinal);

        // 5. 465 with LOGIN relays; without AUTH it is refused.
        var sent = await walk.ExpectAsync("swaks --server mail.example.org --port 465 --tls-on-connect --auth LOGIN --auth-user alice --auth-password \"$PASS\" --from alice@example.org --to friend@far-away.example");
        Assert.Contains("235 2.7.0", sent, StringComparison.Ordinal);
        await sink.AssertRelayedAsync(server, sent);
        var (code, refused) = await walk.RunAsync("swaks --server mail.example.org --port 465 --tls-on-connect --from alice@example.org --to friend@far-away.example");
        Assert.True(code != 0, refused);
        Assert.Contains("530 5.7.0", refused, StringComparison.Ordinal);
        Assert.Single(sink.Sink.Delivered);

        // 6. No certificate asked for; AUTH works.
        var auth = await walk.ExpectAsync("printf '%s\\n' \"$PASS\" | postern check mail.example.org:465 --implicit --ca tls/ca.pem --auth alice");
        Assert.Contains("auth-ok", auth, StringComparison.Ordinal);
        Assert.DoesNotContain("client-certificate-asked", auth, StringComparison.Ordinal);
    }
}
