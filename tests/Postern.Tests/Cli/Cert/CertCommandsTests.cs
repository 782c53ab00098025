using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Postern.Cli.Cert;
using Postern.Core.Tls;
using Postern.Pki.Authority;
using Postern.Pki.Certificates;

namespace Postern.Tests.Cli.Cert;

public sealed class CertCommandsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "postern-certcli-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private string CaDirectory => Path.Combine(_root, "ca");

    [Fact]
    public void The_access_entry_of_an_issued_client_certificate_is_the_CAs_DN_in_plus_XX_form()
    {
        InitCa();
        Assert.Equal(0, IssueClient("joe"));
        var chain = Path.Combine(CaDirectory, "issued", "joe.pem");
        var output = new StringWriter();
        Assert.Equal(0, AccessEntryCommand.Run(chain, subject: false, fingerprint: false, spki: false, output, _error));
        Assert.Equal("CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tRELAY", output.ToString().Trim());
        Assert.Contains("CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tRELAY", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_ca_init_exits_73_and_names_the_file()
    {
        InitCa();
        Assert.Equal(73, InitCa());
        Assert.Contains(Path.Combine(CaDirectory, "ca.pem"), _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Issuing_without_a_CA_exits_66_and_says_how_to_make_one()
    {
        Assert.Equal(66, IssueClient("joe"));
        Assert.Contains("postern cert ca init", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Show_prints_both_DN_forms_validity_usages_and_whether_it_chains_to_the_configured_CA()
    {
        InitCa();
        IssueClient("joe", "joe@example.org");
        var file = Path.Combine(CaDirectory, "issued", "joe.pem");
        var tls = new TlsSettings { GeneratedCertificateDirectory = _root, CaFile = Path.Combine(CaDirectory, "ca.pem") };
        var output = new StringWriter();
        Assert.Equal(0, ShowCommand.Run(file, tls, _clock, output, _error));
        var text = output.ToString();
        Assert.Contains("/C=US/ST=Washington/O=Foo Enterprises/CN=joe", text, StringComparison.Ordinal);
        Assert.Contains("CN=joe,O=Foo Enterprises,ST=Washington,C=US", text, StringComparison.Ordinal);
        Assert.Contains("CN=Joe's Certificate Authority,O=Foo Enterprises,ST=Washington,C=US", text, StringComparison.Ordinal);
        Assert.Contains("(365 day(s) left)", text, StringComparison.Ordinal);
        Assert.Contains("ECDSA P-256 (256 bits)", text, StringComparison.Ordinal);
        Assert.Contains("clientAuth", text, StringComparison.Ordinal);
        Assert.Contains("email:joe@example.org", text, StringComparison.Ordinal);
        Assert.Contains("self-signed:     no", text, StringComparison.Ordinal);
        Assert.Matches(@"configured CA:\s+verifies \(verify=OK\)", text);
        Assert.DoesNotContain("warning", _error.ToString(), StringComparison.Ordinal);

        // Against another CA it does not verify, and show says so, with a warning beside the RELAY lines.
        var other = new TestCaDirectory(_root);
        var otherOutput = new StringWriter();
        Assert.Equal(0, ShowCommand.Run(file, tls with { CaFile = other.CertificateFile }, _clock, otherOutput, _error));
        Assert.Contains("does NOT verify", otherOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains("postern: cert show: warning: the certificate does not verify against", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Show_without_config_warns_that_the_RELAY_lines_were_not_checked_against_any_CA()
    {
        InitCa();
        IssueClient("joe", days: 365);
        var output = new StringWriter();

        Assert.Equal(0, ShowCommand.Run(Path.Combine(CaDirectory, "issued", "joe.pem"), null, _clock, output, _error));

        Assert.Contains("CERTSUBJECT:", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("warning", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("postern: cert show: warning: not checked against the client CAs (no --config)", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Show_of_a_self_made_certificate_says_self_signed_and_a_missing_file_is_a_data_error()
    {
        InitCa();
        var output = new StringWriter();
        Assert.Equal(0, ShowCommand.Run(Path.Combine(CaDirectory, "ca.pem"), null, _clock, output, _error));
        Assert.Contains("self-signed:     yes", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("keyCertSign, cRLSign", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(65, ShowCommand.Run(Path.Combine(_root, "missing.pem"), null, _clock, output, _error));
        Assert.Contains(Path.Combine(_root, "missing.pem"), _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void List_flags_expiring_and_expired_certificates_with_exit_1()
    {
        InitCa();
        IssueClient("joe", days: 365);
        IssueClient("jane", days: 40);
        Assert.Equal(0, ListCommand.Run(CaDirectory, 30, all: false, _clock, _output, _error));

        _clock.Advance(TimeSpan.FromDays(20));
        var output = new StringWriter();
        Assert.Equal(ListCommand.ExpiringExitCode, ListCommand.Run(CaDirectory, 30, all: false, _clock, output, _error));
        Assert.Matches(@"jane\s+client\s+\S+\s+\S+ \S+\s+20\s+EXPIRING", output.ToString());
        Assert.Matches(@"joe\s+client\s+\S+\s+\S+ \S+\s+345\s+ok", output.ToString());

        _clock.Advance(TimeSpan.FromDays(30));
        output = new StringWriter();
        Assert.Equal(1, ListCommand.Run(CaDirectory, 30, all: false, _clock, output, _error));
        Assert.Contains("EXPIRED", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Renew_says_which_access_map_entries_still_match()
    {
        InitCa();
        IssueClient("joe");
        var output = new StringWriter();
        Assert.Equal(0, RenewCommand.Run(CaDirectory, "joe", null, newKey: false, _clock, output, _error));
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains("CERTISSUER:", StringComparison.Ordinal) && l.EndsWith("still matches", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("CERTSUBJECT:", StringComparison.Ordinal) && l.EndsWith("still matches", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("CERTSPKI:", StringComparison.Ordinal) && l.EndsWith("still matches", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("CERTFP:", StringComparison.Ordinal) && l.Contains("no longer matches", StringComparison.Ordinal));

        output = new StringWriter();
        Assert.Equal(0, RenewCommand.Run(CaDirectory, "joe", 10, newKey: true, _clock, output, _error));
        Assert.Contains(output.ToString().Split('\n'), l => l.Contains("CERTSPKI:", StringComparison.Ordinal) && l.Contains("no longer matches", StringComparison.Ordinal));
        Assert.Equal(66, RenewCommand.Run(CaDirectory, "nobody", null, false, _clock, output, _error));
    }

    [Fact]
    public void Export_writes_a_0600_bundle_that_opens_with_the_password_read_and_refuses_an_empty_one()
    {
        InitCa();
        IssueClient("joe");
        var target = Path.Combine(_root, "joe.p12");
        Assert.Equal(64, ExportCommand.Run(CaDirectory, "joe", null, target, () => "", _output, _error));
        Assert.False(File.Exists(target));

        Assert.Equal(0, ExportCommand.Run(CaDirectory, "joe", "Joe User's Personal Certificate", target,
            () => PasswordReader.FromLine(new StringReader("pa ss\nignored\n")), _output, _error));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        var loaded = X509CertificateLoader.LoadPkcs12CollectionFromFile(target, "pa ss", X509KeyStorageFlags.EphemeralKeySet);
        Assert.Equal(2, loaded.Count);
        Assert.Single(loaded, c => c.HasPrivateKey);
        foreach (var c in loaded)
        {
            c.Dispose();
        }
        Assert.Equal(66, ExportCommand.Run(CaDirectory, "nobody", null, target, () => "x", _output, _error));
    }

    [Fact]
    public void The_password_prompt_echoes_nothing_and_honours_backspace()
    {
        var keys = new Queue<ConsoleKeyInfo>([
            new('a', ConsoleKey.A, false, false, false),
            new('x', ConsoleKey.X, false, false, false),
            new('\b', ConsoleKey.Backspace, false, false, false),
            new('b', ConsoleKey.B, false, false, false),
            new('\r', ConsoleKey.Enter, false, false, false),
        ]);
        var echo = new StringWriter();
        Assert.Equal("ab", PasswordReader.Prompt("password: ", keys.Dequeue, echo));
        Assert.Equal("password: " + Environment.NewLine, echo.ToString());
    }

    [Fact]
    public void Selfsigned_makes_a_server_certificate_for_the_host_and_does_not_overwrite_without_force()
    {
        var directory = Path.Combine(_root, "tls");
        Assert.Equal(0, SelfSignedCommand.Run(directory, "mx.example.net", force: false, _clock, _output, _error));
        using (var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, "server.pem"))))
        {
            Assert.True(certificate.MatchesHostname("mx.example.net"));
            Assert.NotEqual(DistinguishedNameFormatter.CommonName(certificate.SubjectName), DistinguishedNameFormatter.CommonName(certificate.IssuerName));
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "server.key")));
        var before = File.ReadAllText(Path.Combine(directory, "server.key"));
        Assert.Equal(73, SelfSignedCommand.Run(directory, "mx.example.net", force: false, _clock, _output, _error));
        Assert.Equal(before, File.ReadAllText(Path.Combine(directory, "server.key")));
        Assert.Equal(0, SelfSignedCommand.Run(directory, "mx.example.net", force: true, _clock, _output, _error));
        Assert.NotEqual(before, File.ReadAllText(Path.Combine(directory, "server.key")));
    }

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private int InitCa() => CaInitCommand.Run(
        new CaInitOptions(CaDirectory, "Joe's Certificate Authority", "/C=US/ST=Washington/O=Foo Enterprises", KeyAlgorithm.EcdsaP256, 3650),
        _clock, _output, _error);

    private int IssueClient(string name, string? email = null, int days = 365) => IssueCommand.Run(
        CaDirectory,
        new IssueRequest(CertificateKind.Client, name, [], [], email is null ? [] : [email], days, KeyAlgorithm.EcdsaP256, null),
        _clock, _output, _error);

    /// <summary>A second, unrelated CA.</summary>
    private sealed class TestCaDirectory
    {
        public TestCaDirectory(string root)
        {
            using var ca = CertificateAuthority.Create(new CaInitOptions(Path.Combine(root, "other-ca"), "Someone Else's CA", null, KeyAlgorithm.EcdsaP256, 100), TimeProvider.System);
            CertificateFile = ca.Layout.CertificateFile;
        }

        public string CertificateFile { get; }
    }
}
