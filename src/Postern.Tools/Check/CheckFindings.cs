using System.Globalization;
using Postern.Config;

namespace Postern.Tools.Check;

/// <summary>Judges a <see cref="CheckResult"/>: the problems an administrator must fix and the facts worth knowing, and the exit code.</summary>
internal static class CheckFindings
{
    /// <summary>Certificates expiring within this many days are flagged.</summary>
    public const int ExpiryWarningDays = 30;

    /// <summary>Submission ports, where mail clients (not MTAs) connect and a certificate prompt can confuse them.</summary>
    private static readonly int[] ClientPorts = [465, 587];

    public static IReadOnlyList<CheckFinding> Evaluate(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var findings = new List<CheckFinding>();
        if (result.ConnectError is not null)
        {
            findings.Add(Problem("unreachable", "cannot connect: " + result.ConnectError));
            return findings;
        }
        if (result.Greeting is { } greeting && greeting.Reply.Code != 220)
        {
            findings.Add(Problem("greeting-refused", "the server refused the session: " + greeting.Reply));
        }
        if (result.SessionError is not null)
        {
            var hint = result.Greeting is null && result.Tls is null && result.Mode != CheckMode.Implicit
                ? " (no greeting in clear: an implicit-TLS port? try --implicit)"
                : string.Empty;
            findings.Add(Problem("session-error", "the session broke off: " + result.SessionError + hint));
        }
        Cleartext(result, findings);
        if (result.EhloAfterTls is { Succeeded: false } secure)
        {
            findings.Add(Problem("ehlo-after-tls-refused", "EHLO after TLS refused: " + secure.Reply));
        }
        if (result.Tls is { } tls)
        {
            Tls(result, tls, findings);
        }
        foreach (var weak in result.WeakProtocols)
        {
            findings.Add(weak.Outcome switch
            {
                WeakProtocolOutcome.Accepted => Problem(WeakCode(weak.Version) + "-accepted", $"{weak.Version} accepted: it is deprecated (RFC 8996); allow TLS 1.2 and 1.3 only"),
                WeakProtocolOutcome.Refused => Info(WeakCode(weak.Version) + "-refused", $"{weak.Version} refused, as it should be"),
                _ => Info(WeakCode(weak.Version) + "-not-tested", $"{weak.Version} not tested: {weak.Detail}"),
            });
        }
        foreach (var relay in result.RelayAttempts)
        {
            Relay(relay, findings);
        }
        if (result.Auth is { } auth)
        {
            findings.Add(auth.Succeeded
                ? Info("auth-ok", $"AUTH {auth.Mechanism} as {auth.User} succeeded")
                : Problem("auth-failed", $"AUTH as {auth.User} failed: {auth.Detail}"));
        }
        return findings;
    }

    /// <summary>0 when nothing is wrong, 1 when a problem was found, 69 (EX_UNAVAILABLE) when the server cannot be reached.</summary>
    public static int ExitCode(CheckResult result, IReadOnlyList<CheckFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(findings);
        return result.ConnectError is not null ? CheckExitCodes.Unavailable
            : findings.Any(f => f.Severity == FindingSeverity.Problem) ? CheckExitCodes.ProblemsFound
            : ExitCodes.Ok;
    }

    private static void Cleartext(CheckResult result, List<CheckFinding> findings)
    {
        if (result.EhloBeforeTls is not { } clear)
        {
            return;
        }
        if (!clear.Succeeded)
        {
            findings.Add(Problem("ehlo-refused", "EHLO refused: " + clear.Reply));
            return;
        }
        if (!clear.StartTls)
        {
            findings.Add(Problem("no-starttls", "STARTTLS is not offered: mail and passwords to this server travel in clear"));
        }
        var clearMechanisms = clear.AuthMechanisms.Where(m => m is "PLAIN" or "LOGIN").ToList();
        if (clearMechanisms.Count > 0)
        {
            findings.Add(Problem("plaintext-auth-before-tls",
                $"AUTH {string.Join(' ', clearMechanisms)} offered before TLS: passwords can be sent in clear (sendmail's confAUTH_OPTIONS p, Postern's auth.plaintext_requires_tls)"));
        }
    }

    private static void Tls(CheckResult result, TlsFacts tls, List<CheckFinding> findings)
    {
        if (tls.Error is not null)
        {
            findings.Add(Problem("tls-failed", $"the TLS handshake ({tls.How}) failed: {tls.Error}"));
            return;
        }
        var leaf = tls.Chain.Count > 0 ? tls.Chain[0] : null;
        if (!tls.Verified)
        {
            var selfSigned = leaf is { SelfSigned: true };
            findings.Add(selfSigned
                ? Problem("self-signed", $"the server's certificate is self-signed ({leaf!.Subject}): no client can verify it")
                : Problem("unverified-chain", $"the server's certificate does not verify against {tls.TrustedBy}: {tls.VerifyProblem ?? "no certificate"}"));
        }
        if (leaf is not null && !tls.NameMatches)
        {
            var names = leaf.DnsNames.Count > 0 ? string.Join(", ", leaf.DnsNames) : leaf.Subject;
            findings.Add(Problem("name-mismatch", $"the certificate does not match {tls.NameChecked} (it is for {names})"));
        }
        for (var i = 0; i < tls.Chain.Count; i++)
        {
            var certificate = tls.Chain[i];
            var which = i == 0 ? "the server's certificate" : "the chain certificate " + certificate.Subject;
            if (certificate.DaysLeft < 0)
            {
                findings.Add(Problem("certificate-expired", string.Create(CultureInfo.InvariantCulture, $"{which} expired on {certificate.NotAfter:yyyy-MM-dd}")));
            }
            else if (certificate.DaysLeft < ExpiryWarningDays)
            {
                findings.Add(Problem("certificate-expiring", string.Create(CultureInfo.InvariantCulture, $"{which} expires in {certificate.DaysLeft} days ({certificate.NotAfter:yyyy-MM-dd})")));
            }
        }
        if (tls.ClientCertificateRequested)
        {
            var where = ClientPorts.Contains(result.Port)
                ? $"; on port {result.Port.ToString(CultureInfo.InvariantCulture)} mail clients connect, and some prompt for or fail on a certificate request"
                : string.Empty;
            findings.Add(Info("client-certificate-asked", "the server asks for a client certificate" + where));
        }
        if (tls.ClientCertificateAccepted is false)
        {
            findings.Add(Problem("client-certificate-refused", $"the session ended after the handshake with our certificate ({tls.ClientCertificatePresented})"));
        }
    }

    private static void Relay(RelayAttemptResult relay, List<CheckFinding> findings)
    {
        var credentials = relay.Authenticated ? "after AUTH" : relay.WithClientCertificate ? "with our client certificate" : "without credentials";
        if (!relay.Mail.IsPositive)
        {
            findings.Add(Info("relay-mail-refused", $"MAIL FROM:<{relay.From}> {credentials} refused: {relay.Mail}"));
            return;
        }
        if (!relay.Accepted)
        {
            findings.Add(Info("relay-refused", $"RCPT TO:<{relay.Recipient}> {credentials} refused: {relay.Rcpt}"));
            return;
        }
        findings.Add(relay.Authenticated || relay.WithClientCertificate
            ? Info("relay-accepted", $"RCPT TO:<{relay.Recipient}> {credentials} accepted: {relay.Rcpt}")
            : Problem("open-relay", $"RCPT TO:<{relay.Recipient}> accepted without credentials ({relay.Rcpt}): unless this server is the destination for that domain, it is an OPEN RELAY"));
    }

    private static string WeakCode(string version) => version.Replace("v", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static CheckFinding Problem(string code, string message) => new(FindingSeverity.Problem, code, message);

    private static CheckFinding Info(string code, string message) => new(FindingSeverity.Info, code, message);
}
