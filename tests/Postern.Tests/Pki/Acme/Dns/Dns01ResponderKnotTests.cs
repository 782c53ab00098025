using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.EndToEnd.Fixtures.Acme;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Challenges;
using Postern.Pki.Acme.Dns;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme.Dns;

/// <summary>The dns-01 responder against a real primary: a private knotd with the test's TSIG key (the end-to-end tier's fixture).</summary>
public sealed class Dns01ResponderKnotTests : IAsyncLifetime
{
    private const string KeyAuthorization = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    private KnotServer _knot = null!;

    public async Task InitializeAsync() => _knot = await KnotServer.StartAsync(zone: "acme.test");

    public async Task DisposeAsync() => await _knot.DisposeAsync();

    private string Domain => "mail." + _knot.Zone;

    private string Owner => "_acme-challenge." + Domain;

    private Dns01Responder Responder(TsigKey? key = null, string? zone = null) =>
        new(_knot.EndPoint, key ?? TsigKeyFile.Load(_knot.TsigKeyFile), zone, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Publishing_returns_once_the_primary_serves_the_record_and_withdrawing_removes_it()
    {
        await using var responder = Responder();

        await responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None);
        Assert.Equal([Dns01Responder.RecordValue(KeyAuthorization)], await _knot.TxtAsync(Owner));

        await responder.WithdrawAsync(Domain, "token", CancellationToken.None);
        Assert.Empty(await _knot.TxtAsync(Owner));
        Assert.Contains("DDNS, finished", _knot.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_removal_is_logged_and_does_not_fail_the_order()
    {
        var logger = new Postern.Tests.Pki.Tls.CollectingLogger();
        await using var responder = new Dns01Responder(_knot.EndPoint, TsigKeyFile.Load(_knot.TsigKeyFile), null, TimeProvider.System, logger);
        await responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None);
        await _knot.DisposeAsync();

        await responder.WithdrawAsync(Domain, "token", CancellationToken.None);

        Assert.Contains(logger.Messages, m => m.StartsWith($"acme: dns-01: removing {Owner} TXT from {_knot.Zone} at {_knot.EndPoint} failed: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wildcard_and_its_base_name_share_the_owner_and_withdrawing_one_keeps_the_other()
    {
        await using var responder = Responder(zone: _knot.Zone);
        const string Other = "second-token.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

        await responder.PublishAsync(Domain, "a", KeyAuthorization, CancellationToken.None);
        await responder.PublishAsync("*." + Domain, "b", Other, CancellationToken.None);
        Assert.Equal(2, (await _knot.TxtAsync(Owner)).Count);

        await responder.WithdrawAsync(Domain, "a", CancellationToken.None);
        Assert.Equal([Dns01Responder.RecordValue(Other)], await _knot.TxtAsync(Owner));
    }

    [Fact]
    public async Task A_key_with_another_secret_is_refused_with_badsig()
    {
        var key = TsigKeyFile.Load(_knot.TsigKeyFile) with { Secret = new byte[32] };
        await using var responder = Responder(key);

        var e = await Assert.ThrowsAsync<AcmeException>(() => responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None));

        Assert.StartsWith($"dns-01: publishing {Owner} TXT in {_knot.Zone} at {_knot.EndPoint} failed: NOTAUTH/BADSIG", e.Message, StringComparison.Ordinal);
        Assert.Empty(await _knot.TxtAsync(Owner));
    }

    [Fact]
    public async Task An_unknown_key_name_is_refused_with_badkey()
    {
        var key = TsigKeyFile.Load(_knot.TsigKeyFile) with { Name = "someone-else." };
        await using var responder = Responder(key);

        var e = await Assert.ThrowsAsync<AcmeException>(() => responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None));

        Assert.Contains("NOTAUTH/BADKEY", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_in_no_zone_of_the_server_is_reported()
    {
        await using var responder = Responder();

        var e = await Assert.ThrowsAsync<AcmeException>(() => responder.PublishAsync("mail.example.net", "token", KeyAuthorization, CancellationToken.None));

        Assert.Contains("is authoritative for no zone that holds _acme-challenge.mail.example.net", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_zone_the_server_does_not_serve_is_refused_by_the_server()
    {
        await using var responder = Responder(zone: "example.net");

        var e = await Assert.ThrowsAsync<AcmeException>(() => responder.PublishAsync("mail.example.net", "token", KeyAuthorization, CancellationToken.None));

        Assert.StartsWith("dns-01: publishing _acme-challenge.mail.example.net TXT in example.net", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_responder_acme_options_ask_for_reads_the_one_line_key_file()
    {
        var keyFile = Path.Combine(_knot.Directory, "one-line.key");
        await File.WriteAllTextAsync(keyFile, _knot.TsigKeyLine + "\n", Encoding.ASCII);
        var options = new AcmeOptions
        {
            DirectoryUrl = AcmeOptions.LetsEncryptStaging,
            Domains = [Domain],
            Challenge = AcmeChallengeType.Dns01,
            HttpListen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsAlpnListen = new IPEndPoint(IPAddress.Loopback, 0),
            DnsUpdateServer = _knot.EndPoint,
            DnsTsigKeyFile = keyFile,
            Directory = _knot.Directory,
        };
        await using var responder = AcmeChallengeResponders.Start(options, TimeProvider.System, NullLogger.Instance);

        await responder.PublishAsync(Domain, "token", KeyAuthorization, CancellationToken.None);

        Assert.Equal(AcmeChallengeType.Dns01, responder.Type);
        Assert.Equal([Dns01Responder.RecordValue(KeyAuthorization)], await _knot.TxtAsync(Owner));
    }
}
