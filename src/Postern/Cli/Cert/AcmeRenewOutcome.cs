using System.Globalization;
using Postern.Config;
using Postern.Pki.Acme.Issuance;

namespace Postern.Cli.Cert;

/// <summary>How <c>postern cert acme renew</c> reports an attempt, made here or by the daemon: one line per certificate issued, or the error.</summary>
internal static class AcmeRenewOutcome
{
    /// <summary>The result the daemon's state shows for a request made at <paramref name="since"/>.</summary>
    public static AcmeAttemptResult Of(AcmeState state, DateTimeOffset since) =>
        state.LastResult == "failed" && state.LastAttempt >= since ? AcmeAttemptResult.Failed
        : state.Certificates.Any(c => c.Issued >= since) ? AcmeAttemptResult.Issued
        : AcmeAttemptResult.NotDue;

    /// <summary>Prints the outcome; returns 0 (issued or nothing due) or 75 (failed: the current certificate stays).</summary>
    public static int Print(AcmeAttemptResult result, AcmeState state, DateTimeOffset since, TextWriter output, TextWriter error)
    {
        foreach (var certificate in state.Certificates.Where(c => c.Issued >= since).OrderBy(c => c.KeyType, StringComparer.Ordinal))
        {
            output.WriteLine($"issued the {certificate.KeyType} certificate for {string.Join(", ", certificate.Domains)}: serial {certificate.Serial}, by {certificate.Issuer}, valid until {Time(certificate.NotAfter)}");
        }
        switch (result)
        {
            case AcmeAttemptResult.Failed:
                error.WriteLine($"postern: cert acme renew: failed: {state.LastError}; the current certificate stays; next try {Time(state.NextRenewal)} ({state.NextRenewalReason})");
                return ExitCodes.TempFail;
            case AcmeAttemptResult.NotDue:
                output.WriteLine($"nothing is due: next renewal {Time(state.NextRenewal)} ({state.NextRenewalReason}); --force renews anyway");
                return ExitCodes.Ok;
            default:
                output.WriteLine($"next renewal {Time(state.NextRenewal)} ({state.NextRenewalReason})");
                return ExitCodes.Ok;
        }
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "Z" : "?";
}
