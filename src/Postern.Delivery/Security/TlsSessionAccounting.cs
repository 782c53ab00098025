using Postern.Core.TlsReporting;
using Postern.Delivery.Relay;

namespace Postern.Delivery.Security;

/// <summary>
/// Counts each session attempt, and each host skipped by its plan, once in the metrics and once
/// per recipient domain for TLS-RPT (only for the domain's own MX hosts: the policy domain is the
/// recipient domain). A reused session is not a new attempt and is not counted.
/// </summary>
internal sealed class TlsSessionAccounting(ITlsSessionRecorder? recorder, TlsPolicyMetrics? metrics, TimeProvider time)
{
    public void Skipped(HostAttempt attempt)
    {
        metrics?.Count(attempt.Security, TlsSessionResult.Skipped);
        foreach (var plan in attempt.PerDomain)
        {
            Record(plan, null, null, plan.PolicyFailure, plan.PolicyFailureDetail);
        }
    }

    public void Attempted(HostAttempt attempt, SmtpRelayClient client)
    {
        if (client.TlsResult is not { } result)
        {
            // No session to speak of: the connection, greeting or EHLO failed before TLS came up.
            return;
        }
        metrics?.Count(attempt.Security, result);
        foreach (var plan in attempt.PerDomain)
        {
            var failure = client.TlsFailure ?? plan.PolicyFailure;
            var detail = client.TlsFailure is null ? plan.PolicyFailureDetail : client.TlsFailureDetail;
            Record(plan, client.RemoteAddress, client.LocalAddress, failure, detail);
        }
    }

    private void Record(HostSecurity plan, System.Net.IPAddress? receiving, System.Net.IPAddress? sending, TlsReportResultType? failure, string? detail)
    {
        if (recorder is null || plan.Report is not { } report)
        {
            return;
        }
        recorder.Record(new TlsSessionOutcome(
            report.PolicyDomain,
            report.PolicyType,
            report.PolicyStrings,
            report.PolicyMxHost,
            plan.Host.Name,
            receiving,
            sending,
            failure,
            detail,
            time.GetUtcNow()));
    }
}
