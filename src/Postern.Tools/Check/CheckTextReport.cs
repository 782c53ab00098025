using System.Globalization;

namespace Postern.Tools.Check;

/// <summary>The human report: what was seen, in session order, then the problems and the information.</summary>
internal static class CheckTextReport
{
    private const int LabelWidth = 15;

    public static void Write(TextWriter output, CheckResult result, IReadOnlyList<CheckFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(findings);
        output.WriteLine(Invariant($"postern check {HostAndPort(result.Host, result.Port)} ({ModeName(result.Mode)})"));
        if (result.ConnectError is not null)
        {
            Line(output, "connect", "FAILED: " + result.ConnectError);
        }
        else
        {
            Line(output, "connected", result.Address ?? "?");
        }
        if (result.Greeting is { } greeting)
        {
            Line(output, "greeting", Invariant($"{greeting.Reply} ({greeting.Milliseconds:0} ms)"));
        }
        if (result.EhloBeforeTls is { } clear)
        {
            Ehlo(output, "clear", clear);
        }
        if (result.Tls is { } tls)
        {
            Tls(output, tls);
        }
        if (result.EhloAfterTls is { } secure)
        {
            Ehlo(output, "TLS", secure);
        }
        foreach (var weak in result.WeakProtocols)
        {
            var word = weak.Outcome switch
            {
                WeakProtocolOutcome.Accepted => "ACCEPTED",
                WeakProtocolOutcome.Refused => "refused",
                _ => "not tested",
            };
            Line(output, weak.Version, $"{word} ({weak.Detail})");
        }
        foreach (var relay in result.RelayAttempts)
        {
            var credentials = relay.Authenticated ? "after AUTH" : relay.WithClientCertificate ? "with our client certificate" : "without credentials";
            Line(output, "relay", credentials + ":");
            Line(output, string.Empty, $"MAIL FROM:<{relay.From}> {relay.Mail}");
            if (relay.Rcpt is { } rcpt)
            {
                Line(output, string.Empty, $"RCPT TO:<{relay.Recipient}> {rcpt}");
            }
            Line(output, string.Empty, "RSET (no DATA: nothing was sent)");
        }
        if (result.Auth is { } auth)
        {
            var mechanism = auth.Mechanism ?? "-";
            Line(output, "AUTH attempt", $"{mechanism} as {auth.User}: {(auth.Succeeded ? "succeeded" : "FAILED")} ({auth.Detail})");
        }
        if (result.SessionError is not null)
        {
            Line(output, "session", "broke off: " + result.SessionError);
        }
        Findings(output, findings);
    }

    private static void Ehlo(TextWriter output, string phase, EhloFacts ehlo)
    {
        if (!ehlo.Succeeded)
        {
            Line(output, $"EHLO ({phase})", "refused: " + ehlo.Reply);
            return;
        }
        Line(output, $"EHLO ({phase})", ehlo.Keywords.Count == 0 ? "(no extensions)" : string.Join(", ", ehlo.Keywords));
        Line(output, $"AUTH ({phase})", ehlo.AuthMechanisms.Count == 0 ? "not offered" : string.Join(' ', ehlo.AuthMechanisms));
    }

    private static void Tls(TextWriter output, TlsFacts tls)
    {
        if (tls.Error is not null)
        {
            Line(output, "TLS", $"FAILED ({tls.How}): {tls.Error}");
            return;
        }
        Line(output, "TLS", Invariant($"{tls.Protocol}, {tls.Cipher}, {tls.Bits} bits ({tls.How})"));
        for (var i = 0; i < tls.Chain.Count; i++)
        {
            var certificate = tls.Chain[i];
            Line(output, Invariant($"certificate {i}"), certificate.Subject + (certificate.SelfSigned ? " (self-signed)" : string.Empty));
            Line(output, "  issuer", certificate.Issuer);
            var left = certificate.DaysLeft < 0 ? "EXPIRED" : Invariant($"{certificate.DaysLeft} days left");
            Line(output, "  valid", Invariant($"{certificate.NotBefore:yyyy-MM-dd HH:mm} to {certificate.NotAfter:yyyy-MM-dd HH:mm} UTC ({left})"));
            if (certificate.DnsNames.Count > 0)
            {
                Line(output, "  names", string.Join(", ", certificate.DnsNames));
            }
            Line(output, "  key", certificate.Key);
            Line(output, "  sha256", certificate.Sha256);
        }
        Line(output, "verify", tls.Verified ? $"OK against {tls.TrustedBy}" : $"FAIL against {tls.TrustedBy}: {tls.VerifyProblem}");
        Line(output, "host name", tls.NameMatches ? $"{tls.NameChecked} matches" : $"{tls.NameChecked} does NOT match");
        if (tls.ClientCertificateRequested)
        {
            var issuers = tls.AcceptableIssuers.Count == 0 ? "none listed" : string.Join("; ", tls.AcceptableIssuers);
            Line(output, "client cert", "asked for; acceptable issuers: " + issuers);
        }
        else
        {
            Line(output, "client cert", "not asked for");
        }
        if (tls.ClientCertificatePresented is { } ours)
        {
            var fate = tls.ClientCertificateAccepted switch
            {
                true => "session went on (accepted for TLS; the relay attempt shows what it grants)",
                false => "session ended: REFUSED",
                null => "not sent (the server did not ask)",
            };
            Line(output, "  ours", $"{ours}: {fate}");
        }
    }

    internal static void Findings(TextWriter output, IReadOnlyList<CheckFinding> findings)
    {
        var problems = findings.Where(f => f.Severity == FindingSeverity.Problem).ToList();
        var infos = findings.Where(f => f.Severity == FindingSeverity.Info).ToList();
        output.WriteLine();
        if (problems.Count > 0)
        {
            output.WriteLine(Invariant($"problems ({problems.Count}):"));
            foreach (var problem in problems)
            {
                output.WriteLine($"  ! {problem.Code}: {problem.Message}");
            }
        }
        if (infos.Count > 0)
        {
            output.WriteLine("information:");
            foreach (var info in infos)
            {
                output.WriteLine($"  - {info.Code}: {info.Message}");
            }
        }
        output.WriteLine(problems.Count == 0 ? "result: no problems found" : Invariant($"result: {problems.Count} problem(s) found"));
    }

    private static void Line(TextWriter output, string label, string value) =>
        output.WriteLine(label.Length == 0 ? new string(' ', LabelWidth) + value : label.PadRight(LabelWidth - 1) + " " + value);

    /// <summary>HOST:PORT as it is typed back: an IPv6 address in brackets, [::1]:25.</summary>
    internal static string HostAndPort(string host, int port) =>
        Invariant($"{(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host)}:{port}");

    internal static string ModeName(CheckMode mode) => mode switch
    {
        CheckMode.StartTls => "STARTTLS",
        CheckMode.Implicit => "implicit TLS",
        CheckMode.Plain => "plain, no TLS",
        _ => "auto",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
