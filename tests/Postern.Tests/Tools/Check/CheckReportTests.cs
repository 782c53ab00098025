using System.Text.Json;
using Postern.Tools.Check;

namespace Postern.Tests.Tools.Check;

public sealed class CheckReportTests
{
    [Fact]
    public void The_text_report_shows_the_session_then_problems_and_information()
    {
        var result = CheckSamples.Clean() with
        {
            EhloBeforeTls = CheckSamples.Ehlo(true, "LOGIN", "PLAIN"),
            Tls = CheckSamples.Tls() with { ClientCertificateRequested = true, AcceptableIssuers = ["CN=Joe's Certificate Authority"] },
            RelayAttempts = [CheckSamples.Relay(550)],
        };
        using var output = new StringWriter();

        CheckTextReport.Write(output, result, CheckFindings.Evaluate(result));
        var text = output.ToString();

        Assert.StartsWith("postern check mail.example.org:25 (STARTTLS)\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("greeting       220 mail.example.org ESMTP Postern (12 ms)", text, StringComparison.Ordinal);
        Assert.Contains("AUTH (clear)   LOGIN PLAIN", text, StringComparison.Ordinal);
        Assert.Contains("TLS            TLSv1.3, TLS_AES_256_GCM_SHA384, 256 bits (STARTTLS)", text, StringComparison.Ordinal);
        Assert.Contains("  issuer       /C=US/O=Foo Enterprises/CN=Joe's Certificate Authority", text, StringComparison.Ordinal);
        Assert.Contains("(200 days left)", text, StringComparison.Ordinal);
        Assert.Contains("verify         OK against ca.pem", text, StringComparison.Ordinal);
        Assert.Contains("client cert    asked for; acceptable issuers: CN=Joe's Certificate Authority", text, StringComparison.Ordinal);
        Assert.Contains("RCPT TO:<someone@far-away.example> 550 5.7.1 Relaying denied", text, StringComparison.Ordinal);
        Assert.Contains("RSET (no DATA: nothing was sent)", text, StringComparison.Ordinal);
        Assert.Contains("problems (1):\n  ! plaintext-auth-before-tls:", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  - client-certificate-asked:", text, StringComparison.Ordinal);
        Assert.EndsWith("result: 1 problem(s) found\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_report_carries_facts_findings_and_exit_code()
    {
        var result = CheckSamples.Clean() with { RelayAttempts = [CheckSamples.Relay(250)] };
        var findings = CheckFindings.Evaluate(result);

        var json = JsonSerializer.Serialize(new CheckReportDocument(result, findings, CheckFindings.ExitCode(result, findings)), CheckJsonContext.Default.CheckReportDocument);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(1, root.GetProperty("exit_code").GetInt32());
        Assert.Equal("TLSv1.3", root.GetProperty("result").GetProperty("tls").GetProperty("protocol").GetString());
        Assert.Equal(250, root.GetProperty("result").GetProperty("relay_attempts")[0].GetProperty("rcpt").GetProperty("code").GetInt32());
        Assert.Equal("Refused", root.GetProperty("result").GetProperty("weak_protocols")[0].GetProperty("outcome").GetString());
        var problem = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("severity").GetString() == "Problem");
        Assert.Equal("open-relay", problem.GetProperty("code").GetString());
    }
}
