using Postern.Config;

namespace Postern.Tools.Check.Domain;

/// <summary>Judges a <see cref="DomainCheckResult"/>: problems (exit 1) and information, each with a stable code.</summary>
internal static class DomainCheckFindings
{
    public static IReadOnlyList<CheckFinding> Evaluate(DomainCheckResult result)
    {
        var findings = new List<CheckFinding>();
        MxSet(result.Mx, findings);
        var policy = result.MtaSts.Enabled ? result.MtaSts.InForce : null;
        foreach (var host in result.Mx.Hosts)
        {
            Host(host, policy, findings);
        }
        MtaSts(result.MtaSts, findings);
        TlsRpt(result.TlsRpt, findings);
        return findings;
    }

    /// <summary>69 when DNS could not say where the mail goes, 1 with problems, else 0.</summary>
    public static int ExitCode(DomainCheckResult result, IReadOnlyList<CheckFinding> findings) =>
        result.Mx.Status == "temporary-failure" ? CheckExitCodes.Unavailable
        : findings.Any(f => f.Severity == FindingSeverity.Problem) ? CheckExitCodes.ProblemsFound
        : ExitCodes.Ok;

    private static void MxSet(MxSetFacts mx, List<CheckFinding> findings)
    {
        switch (mx.Status)
        {
            case "temporary-failure":
                findings.Add(Problem("mx-lookup-failed", $"the MX lookup failed for now: {mx.Problem}"));
                break;
            case "permanent-failure":
                findings.Add(Problem("no-mail-host", $"mail to this domain bounces: {mx.Problem}"));
                break;
            case "null-mx":
                findings.Add(Info("null-mx", "the domain publishes a null MX (RFC 7505): it takes no mail"));
                break;
        }
    }

    private static void Host(MxHostFacts host, MtaStsPolicyFacts? policy, List<CheckFinding> findings)
    {
        var name = host.Name;
        if (!host.DnssecSecure)
        {
            findings.Add(Info("dnssec-insecure", $"{name}: the MX or address answers were not DNSSEC-validated: DANE does not apply"));
        }
        else if (host.Tlsa.Status == "Failed")
        {
            findings.Add(Problem("tlsa-lookup-failed", $"{name}: {host.Tlsa.Problem ?? "the TLSA lookup failed"}: delivery defers"));
        }
        else if (host.Tlsa.Status == "Secure" && host.Tlsa.UsableRecords == 0)
        {
            findings.Add(Info("tlsa-unusable", $"{name}: TLSA records exist but none is usable for SMTP (only DANE-TA(2) and DANE-EE(3) are)"));
        }
        if (host.DaneMatch is { } record)
        {
            findings.Add(Info("dane-match", $"{name}: the certificate matches TLSA {record}"));
        }
        else if (host.DaneProblem is { } daneProblem)
        {
            findings.Add(Problem("tlsa-mismatch", $"{name}: the certificate matches no TLSA record ({daneProblem}): delivery defers to this host"));
        }
        if (host.Tls is { Error: { } error })
        {
            findings.Add(Problem("mx-tls-failed", $"{name}: no TLS session: {error}"));
        }
        if (policy is null || policy.Mode == "none")
        {
            return;
        }
        var consequence = policy.Mode == "enforce" ? "delivery skips this host" : "reported, delivered anyway (testing)";
        if (host.MtaStsPattern is null)
        {
            findings.Add(Problem("mta-sts-mx-not-in-policy", $"MTA-STS {policy.Mode}: {name} not in policy: {consequence}"));
        }
        else if (host.Tls is { Error: null } tls && (!tls.PkixVerified || !tls.NameMatches))
        {
            var why = !tls.PkixVerified ? tls.PkixProblem ?? "the chain does not verify" : $"the certificate does not name {name}";
            findings.Add(Problem("mta-sts-certificate-invalid", $"MTA-STS {policy.Mode}: {name}: {why}: {consequence}"));
        }
    }

    private static void MtaSts(MtaStsFacts sts, List<CheckFinding> findings)
    {
        if (!sts.Enabled)
        {
            findings.Add(Info("mta-sts-disabled", "[mta_sts] enabled = false: delivery ignores MTA-STS policies"));
        }
        switch (sts.TxtStatus)
        {
            case "invalid":
                findings.Add(Problem("mta-sts-record-invalid", $"the _mta-sts TXT record is unusable: {sts.TxtProblem}"));
                break;
            case "failed":
                findings.Add(Info("mta-sts-lookup-failed", sts.TxtProblem ?? "the _mta-sts TXT lookup failed"));
                break;
            case "not-found" when sts.Cached is null:
                findings.Add(Info("no-mta-sts", "no MTA-STS policy (no _mta-sts TXT record)"));
                break;
        }
        if (sts.FetchProblem is { } problem)
        {
            findings.Add(Problem("mta-sts-policy-unavailable", $"the published policy cannot be used: {problem} ({sts.FetchProblemType})"));
        }
        if (sts.Cached is { } cached && sts.TxtId is { } id && cached.Id != id)
        {
            findings.Add(Info("mta-sts-cache-outdated", $"the cached policy {cached.Id} differs from the published id {id}: the next delivery fetches it again"));
        }
        if (sts.InForce is { Mode: "testing" })
        {
            findings.Add(Info("mta-sts-testing", "the policy is in testing mode: failures are reported (TLS-RPT), mail is delivered anyway"));
        }
    }

    private static void TlsRpt(TlsRptFacts tlsRpt, List<CheckFinding> findings)
    {
        switch (tlsRpt.Status)
        {
            case "not-found":
                findings.Add(Info("no-tlsrpt", "no TLS-RPT record (_smtp._tls): no reports are sent to this domain"));
                break;
            case "invalid":
                findings.Add(Problem("tlsrpt-invalid", $"the _smtp._tls record is unusable: {tlsRpt.Problem}"));
                break;
            case "failed":
                findings.Add(Info("tlsrpt-lookup-failed", tlsRpt.Problem ?? "the _smtp._tls lookup failed"));
                break;
        }
    }

    private static CheckFinding Problem(string code, string message) => new(FindingSeverity.Problem, code, message);

    private static CheckFinding Info(string code, string message) => new(FindingSeverity.Info, code, message);
}
