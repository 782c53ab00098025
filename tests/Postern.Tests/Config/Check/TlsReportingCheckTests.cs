using Postern.Tests.Config.Lint;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Config.Check;

/// <summary>`config check` reads delivery.https_ca_file as `serve` does and summarizes [tls_reporting].</summary>
public sealed class TlsReportingCheckTests
{
    [Fact]
    public void A_usable_https_ca_file_passes_and_the_summary_tells_how_reports_go()
    {
        using var run = new ConfigCheckRun();
        var ca = run.WriteFile("https-ca.pem", TestPki.CreateRoot("Report CA").CertificatePem);

        var (exit, output, errors) = run.Check($"[delivery]\nhttps_ca_file = \"{ca}\"\n[tls_reporting]\ninterval = \"1h\"\nfrom = \"tlsrpt@example.org\"\n");

        Assert.True(exit == 0, errors);
        Assert.Contains($"  tls reporting: every 1h from tlsrpt@example.org, counts in {run.Combine("tls-reports")}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_https_ca_file_without_a_certificate_is_an_error_at_its_line()
    {
        using var run = new ConfigCheckRun();
        var ca = run.WriteFile("https-ca.pem", "not a certificate\n");

        var (exit, _, errors) = run.Check($"[delivery]\nhttps_ca_file = \"{ca}\"\n");

        Assert.Equal(78, exit);
        Assert.StartsWith($"{run.Combine("postern.toml")}:6:1: delivery.https_ca_file: {ca}: holds no PEM certificate", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Reporting_switched_off_says_so()
    {
        using var run = new ConfigCheckRun();
        var (exit, output, errors) = run.Check("[tls_reporting]\nenabled = false\n");
        Assert.True(exit == 0, errors);
        Assert.Contains("  tls reporting: off", output, StringComparison.Ordinal);
    }
}
