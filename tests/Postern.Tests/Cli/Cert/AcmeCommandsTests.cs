using System.Text.Json;
using Postern.Cli.Cert;
using Postern.Config;
using Postern.Pki.Acme.Issuance;
using Postern.Pki.Acme.Protocol;
using Postern.Tests.Config;
using Postern.Tests.Pki.Acme.Issuance;

namespace Postern.Tests.Cli.Cert;

/// <summary><c>postern cert acme status</c>, the ACME rows and warnings of <c>cert list</c>, and <see cref="AcmeHealth"/>, over files an in-memory CA produced.</summary>
public sealed class AcmeCommandsTests : IDisposable
{
    private readonly AcmeTestBed _bed = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _bed.Dispose();

    private PosternConfiguration Configuration()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration with { Acme = _bed.Options };
    }

    [Fact]
    public async Task Status_shows_account_certificate_next_renewal_and_the_last_error()
    {
        await _bed.RenewAsync(_bed.Renewer());
        _bed.Server.NewOrderFailure = new AcmeException("urn:ietf:params:acme:error:connection: down");
        await _bed.RenewAsync(_bed.Renewer(), force: true);

        Assert.Equal(0, AcmeStatusCommand.Run(Configuration(), json: false, _bed.Clock, _output, _error));

        var text = _output.ToString();
        Assert.Contains("directory:      https://acme.test/directory", text, StringComparison.Ordinal);
        Assert.Contains("account:        " + _bed.Server.AccountUrl, text, StringComparison.Ordinal);
        Assert.Contains("domains:        mail.example.org, smtp.example.org", text, StringComparison.Ordinal);
        Assert.Contains("challenge:      http-01 on 127.0.0.1:0", text, StringComparison.Ordinal);
        Assert.Matches(@"ecdsa:          serial [0-9A-F]+, issued by Fake ACME Intermediate, valid until 2027-04-10 11:59Z \(89 days left\)", text);
        // The forced renewal failed while the certificate is not due: the next try is its normal renewal.
        Assert.Contains("next renewal:   2027-03-1", text, StringComparison.Ordinal);
        Assert.Contains("(renew_before)", text, StringComparison.Ordinal);
        Assert.Contains("last attempt:   2027-01-10 12:00Z, failed", text, StringComparison.Ordinal);
        Assert.Contains("last error:     2027-01-10 12:0", text, StringComparison.Ordinal);
        Assert.Contains(": urn:ietf:params:acme:error:connection: down", text, StringComparison.Ordinal);
        Assert.Contains("failures:       1 in a row", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_as_json_carries_the_same_facts()
    {
        await _bed.RenewAsync(_bed.Renewer());

        Assert.Equal(0, AcmeStatusCommand.Run(Configuration(), json: true, _bed.Clock, _output, _error));

        using var json = JsonDocument.Parse(_output.ToString());
        var root = json.RootElement;
        Assert.Equal(_bed.Server.AccountUrl!.ToString(), root.GetProperty("account_url").GetString());
        Assert.Equal(0, root.GetProperty("consecutive_failures").GetInt32());
        Assert.Equal("renew_before", root.GetProperty("next_renewal_reason").GetString());
        var certificate = root.GetProperty("certificates")[0];
        Assert.Equal("ecdsa", certificate.GetProperty("key_type").GetString());
        Assert.True(certificate.GetProperty("present").GetBoolean());
        Assert.Equal(89, certificate.GetProperty("days_left").GetInt32());
    }

    [Fact]
    public void Status_before_anything_happened_says_none_yet_and_without_acme_exits_78()
    {
        Assert.Equal(0, AcmeStatusCommand.Run(Configuration(), json: false, _bed.Clock, _output, _error));
        Assert.Contains("account:        none yet", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("ecdsa:          none yet", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("next renewal:   at the daemon's next start", _output.ToString(), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Config, AcmeStatusCommand.Run(Configuration() with { Acme = null }, json: false, _bed.Clock, _output, _error));
        Assert.Contains("has no [acme] section", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_warns_when_renewal_fails_and_when_the_certificate_has_under_fourteen_days()
    {
        await _bed.RenewAsync(_bed.Renewer());
        Assert.Empty(AcmeHealth.Warnings(_bed.Options, _bed.Clock.GetUtcNow()));

        _bed.Server.NewOrderFailure = new AcmeException("down");
        await _bed.RenewAsync(_bed.Renewer(), force: true);
        var failing = Assert.Single(AcmeHealth.Warnings(_bed.Options, _bed.Clock.GetUtcNow()));
        Assert.StartsWith("ACME renewal has failed once in a row, last at 2027-01-10 12:0", failing, StringComparison.Ordinal);
        Assert.Contains(": down, next try 2027-03-1", failing, StringComparison.Ordinal);

        var warnings = AcmeHealth.Warnings(_bed.Options, _bed.Clock.GetUtcNow() + TimeSpan.FromDays(80));
        Assert.Equal(2, warnings.Count);
        Assert.EndsWith("the ACME certificate (ecdsa) expires on 2027-04-10 11:59Z, in 9 days; it should have been renewed by now (postern cert acme status)", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cert_list_shows_the_acme_certificates_without_a_local_ca_and_exits_1_while_renewal_fails()
    {
        await _bed.RenewAsync(_bed.Renewer());
        var noCa = Path.Combine(_bed.Options.Directory, "..", "ca");

        Assert.Equal(0, ListCommand.Run(noCa, 30, all: false, _bed.Options, _bed.Clock, _output, _error));
        Assert.Matches(@"mail\.example\.org \(ecdsa\)  acme    [0-9A-F]+ +2027-04-10 11:59:\d\dZ    89  ok", _output.ToString());

        _bed.Server.NewOrderFailure = new AcmeException("down");
        await _bed.RenewAsync(_bed.Renewer(), force: true);
        Assert.Equal(ListCommand.ExpiringExitCode, ListCommand.Run(noCa, 30, all: false, _bed.Options, _bed.Clock, _output, _error));
        Assert.Contains("postern: cert list: warning: ACME renewal has failed once in a row", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_through_the_daemon_writes_the_request_signals_and_prints_what_the_daemon_issued()
    {
        await _bed.RenewAsync(_bed.Renewer());
        Task? daemon = null;
        bool Signal()
        {
            // What the daemon does on SIGUSR1: take the request and answer it.
            var force = _bed.Store.TakeRenewRequest();
            daemon = _bed.Renewer().RenewAsync(force == true, requested: force is not null, CancellationToken.None);
            return true;
        }
        var request = new AcmeDaemonRequest(_bed.Store, Signal, _bed.Clock);

        var code = await ClockPump.RunAsync(_bed.Clock, () => request.RunAsync(force: true, TimeSpan.FromMinutes(11), _output, _error, CancellationToken.None));

        Assert.Equal(0, code);
        await daemon!;
        Assert.Matches(@"^issued the ecdsa certificate for mail\.example\.org, smtp\.example\.org: serial [0-9A-F]+, by Fake ACME Intermediate, valid until 2027-04-10 \d\d:\d\dZ", _output.ToString());
        Assert.Equal(2, _bed.Server.Finalized);
    }

    [Fact]
    public async Task Renew_through_the_daemon_reports_nothing_due_a_failure_and_a_daemon_that_does_not_answer()
    {
        await _bed.RenewAsync(_bed.Renewer());
        bool Answer()
        {
            var force = _bed.Store.TakeRenewRequest();
            _ = _bed.Renewer().RenewAsync(force == true, requested: force is not null, CancellationToken.None);
            return true;
        }

        var notDue = await ClockPump.RunAsync(_bed.Clock, () => new AcmeDaemonRequest(_bed.Store, Answer, _bed.Clock).RunAsync(false, TimeSpan.FromMinutes(1), _output, _error, CancellationToken.None));
        Assert.Equal(0, notDue);
        Assert.Contains("nothing is due: next renewal 2027-03-1", _output.ToString(), StringComparison.Ordinal);

        _bed.Server.NewOrderFailure = new AcmeException("down");
        var failed = await ClockPump.RunAsync(_bed.Clock, () => new AcmeDaemonRequest(_bed.Store, Answer, _bed.Clock).RunAsync(true, TimeSpan.FromMinutes(1), _output, _error, CancellationToken.None));
        Assert.Equal(ExitCodes.TempFail, failed);
        Assert.Contains("postern: cert acme renew: failed: down; the current certificate stays", _error.ToString(), StringComparison.Ordinal);

        var silent = await ClockPump.RunAsync(_bed.Clock, () => new AcmeDaemonRequest(_bed.Store, () => true, _bed.Clock).RunAsync(true, TimeSpan.FromSeconds(30), _output, _error, CancellationToken.None));
        Assert.Equal(ExitCodes.TempFail, silent);
        Assert.Contains("the daemon did not finish within 30s", _error.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(_bed.Store.Layout.RenewRequestFile));
    }

    [Fact]
    public async Task Register_creates_the_account_key_saves_the_account_and_prints_its_url()
    {
        var code = await AcmeRegisterCommand.RunAsync(Configuration(), _bed.Options, (_, _) => _bed.Server, _bed.Clock, _output, _error, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.StartsWith("account " + _bed.Server.AccountUrl + "\n  directory https://acme.test/directory, contact mailto:postmaster@example.org, key ", _output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.True(File.Exists(_bed.Store.Layout.AccountKeyFile));
        Assert.Equal(_bed.Server.AccountUrl!.ToString(), _bed.Store.LoadAccount()!.Url);
    }
}
