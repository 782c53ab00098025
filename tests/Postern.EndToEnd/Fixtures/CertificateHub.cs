namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// Seed 000's server: a Postern that relays for clients whose certificate verified against the
/// test CA and is listed in its access map (and for no one else: no relay_networks, so loopback
/// gets no trust), with mail for remote.test routed to a private <see cref="SmtpSink"/>. The map
/// holds exactly what <c>postern cert access-entry</c> printed for a certificate, unchanged.
/// </summary>
public sealed class CertificateHub : IAsyncDisposable
{
    /// <summary>The external domain the peers send to; the hub routes it to <see cref="Sink"/>.</summary>
    public const string RemoteDomain = "remote.test";

    private CertificateHub(PosternProcess postern, SmtpSink sink, string accessMap)
    {
        Postern = postern;
        Sink = sink;
        AccessMap = accessMap;
    }

    public PosternProcess Postern { get; }

    /// <summary>The next hop for <see cref="RemoteDomain"/>: what reaches it was relayed.</summary>
    public SmtpSink Sink { get; }

    /// <summary>The access map file's content.</summary>
    public string AccessMap { get; }

    public int Port => Postern.Mta.Port;

    /// <summary>
    /// Starts the hub with an access map holding the output of
    /// <c>postern cert access-entry &lt;pki[<paramref name="entryFor"/>]&gt;</c>, or only a comment
    /// when <paramref name="entryFor"/> is null.
    /// </summary>
    public static async Task<CertificateHub> StartAsync(TestPki pki, string? entryFor)
    {
        var accessMap = "# the relay test's access map\n";
        if (entryFor is not null)
        {
            var (code, output) = await Binary.RunAsync("cert", "access-entry", pki[entryFor]);
            Assert.True(code == 0, output);
            accessMap += output;
        }
        return await StartWithMapAsync(pki, accessMap);
    }

    /// <summary>
    /// Starts the hub with <paramref name="accessMap"/> as its access map and <paramref name="policy"/>
    /// (TOML keys) added to its <c>[policy]</c> table.
    /// </summary>
    public static async Task<CertificateHub> StartWithMapAsync(TestPki pki, string accessMap, string policy = "")
    {
        var dataDir = PosternProcess.NewDataDir();
        var sink = new SmtpSink(SinkOptions.PlainNextHop);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dataDir, "access"), accessMap);
            var postern = await PosternProcess.StartAsync(Config(pki, sink.Port, policy), dataDir, listeners: 1);
            return new CertificateHub(postern, sink, accessMap);
        }
        catch
        {
            await sink.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
            throw;
        }
    }

    /// <summary>The hub's configuration, its access map being the data directory's "access" file.</summary>
    public static string Config(TestPki pki, int sinkPort, string policy = "") =>
        PosternConfig.Host("localhost")
            .WithListener("mta", "mta", tls: "starttls", clientCert: "ask")
            .WithLocal(["localhost"], ["user"])
            .WithServerTls(pki)
            .WithSection("[policy]\naccess_map = \"access\"\n" + policy)
            .WithRoute(RemoteDomain, sinkPort)
            .ToToml();

    /// <summary>
    /// The relay by certificate, from Postern's side: the client's certificate verified (Joe User,
    /// issued by Joe's CA), no recipient was refused, the message was queued from that client and
    /// handed to the sink, which has it for <paramref name="recipient"/>.
    /// </summary>
    public async Task AssertRelayedAsync(string token, string recipient, string peer)
    {
        await WaitForSinkAsync(token, recipient, peer);
        await Postern.WaitForLogAsync(l => l.Contains("STARTTLS=server", StringComparison.Ordinal) && l.Contains("verify=OK", StringComparison.Ordinal)
            && l.Contains("cert-subject=/C=US/ST=Washington/O=Foo Enterprises/CN=Joe User", StringComparison.Ordinal)
            && l.Contains("cert-issuer=/C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", StringComparison.Ordinal));
        await Postern.WaitForLogAsync(l => l.Contains(": from=<", StringComparison.Ordinal) && l.Contains("proto=ESMTPS", StringComparison.Ordinal));
        await Postern.WaitForLogAsync(l => l.Contains($"to=<{recipient}>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal));
        Assert.DoesNotContain("ruleset=check_rcpt", Postern.Log, StringComparison.Ordinal);
    }

    /// <summary>
    /// The refusal, from Postern's side: <paramref name="verify"/> in the STARTTLS line, 550 5.7.1
    /// for the recipient, nothing queued, nothing at the sink.
    /// </summary>
    public async Task AssertRefusedAsync(string recipient, string verify)
    {
        await Postern.WaitForLogAsync(l => l.Contains("STARTTLS=server", StringComparison.Ordinal) && l.Contains("verify=" + verify + ",", StringComparison.Ordinal));
        await Postern.WaitForLogAsync(l => l.Contains($"ruleset=check_rcpt, arg1=<{recipient}>", StringComparison.Ordinal)
            && l.Contains("reject=550 5.7.1", StringComparison.Ordinal));
        Assert.DoesNotContain(": from=<", Postern.Log, StringComparison.Ordinal);
        Assert.Empty(Sink.Delivered);
    }

    /// <summary>Waits (bounded) until the sink has <paramref name="token"/> for <paramref name="recipient"/>.</summary>
    public async Task WaitForSinkAsync(string token, string recipient, string peer)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Sink.Delivered.Contains((token, recipient)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the sink got no {token} for {recipient}\n{peer}\npostern log:\n{Postern.Log}");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Postern.DisposeAsync();
        await Sink.DisposeAsync();
        Directory.Delete(Postern.DataDir, recursive: true);
    }
}
