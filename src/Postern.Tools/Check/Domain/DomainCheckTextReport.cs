using System.Globalization;

namespace Postern.Tools.Check.Domain;

/// <summary>The human report of <c>postern check --domain</c>: the facts in the order they were found, then the findings.</summary>
internal static class DomainCheckTextReport
{
    public static void Write(TextWriter output, DomainCheckResult result, IReadOnlyList<CheckFinding> findings)
    {
        output.WriteLine($"postern check --domain {result.Domain}");
        WriteMtaSts(output, result.MtaSts);
        output.WriteLine(result.Mx.Status == "ok" ? $"MX             {result.Mx.Hosts.Count} host(s), in delivery order" : $"MX             {result.Mx.Status}: {result.Mx.Problem}");
        foreach (var host in result.Mx.Hosts)
        {
            WriteHost(output, host, result.MtaSts);
        }
        output.WriteLine(result.TlsRpt.Status == "found"
            ? $"TLS-RPT        {string.Join(", ", result.TlsRpt.Destinations)}"
            : $"TLS-RPT        {result.TlsRpt.Status}{Suffix(result.TlsRpt.Problem)}");
        CheckTextReport.Findings(output, findings);
    }

    private static void WriteMtaSts(TextWriter output, MtaStsFacts sts)
    {
        output.WriteLine(sts.TxtId is { } id ? $"MTA-STS record v=STSv1; id={id}" : $"MTA-STS record {sts.TxtStatus}{Suffix(sts.TxtProblem)}");
        if (sts.Published is { } published)
        {
            output.WriteLine($"  published    {Policy(published)}");
        }
        else if (sts.FetchProblem is { } problem)
        {
            output.WriteLine($"  published    unavailable: {problem} ({sts.FetchProblemType})");
        }
        output.WriteLine(sts.Cached is { } cached
            ? $"  cache        {Policy(cached)}, fetched {Time(cached.FetchedAt)}, {(cached.Expired ? "expired" : "expires")} {Time(cached.ExpiresAt)}"
            : $"  cache        none{Suffix(sts.CacheProblem)}");
        output.WriteLine(sts.InForce is { } inForce
            ? $"  in force     {inForce.Mode} (id {inForce.Id}){(sts.Enabled ? "" : "; [mta_sts] enabled = false: ignored")}"
            : $"  in force     {sts.InForceStatus}");
    }

    private static void WriteHost(TextWriter output, MxHostFacts host, MtaStsFacts sts)
    {
        output.WriteLine($"  {host.Name}  {string.Join(" ", host.Addresses)}  DNSSEC {(host.DnssecSecure ? "secure" : "insecure")}");
        var tlsa = host.Tlsa;
        output.WriteLine(tlsa.Records.Count > 0
            ? $"    TLSA       {tlsa.Status} at _25._tcp.{tlsa.BaseName}: {string.Join("; ", tlsa.Records)}"
            : $"    TLSA       {tlsa.Status}{Suffix(tlsa.Problem)}");
        if (host.Tls is { } tls)
        {
            if (tls.Error is { } error)
            {
                output.WriteLine($"    TLS        {tls.Address}: {error}");
            }
            else
            {
                var leaf = tls.Chain.Count > 0 ? tls.Chain[0] : null;
                output.WriteLine($"    TLS        {tls.Address}: {tls.Protocol}, {tls.Cipher}");
                if (leaf is not null)
                {
                    output.WriteLine($"    cert       {leaf.Subject}, names {string.Join(" ", leaf.DnsNames)}, sha256 {leaf.Sha256}");
                }
                output.WriteLine($"    PKIX       {(tls.PkixVerified ? "verifies" : "fails: " + tls.PkixProblem)}; {(tls.NameMatches ? "names" : "does not name")} {host.Name}");
            }
        }
        if (host.DaneMatch is { } match)
        {
            output.WriteLine($"    DANE       matches {match}");
        }
        else if (host.DaneProblem is { } problem)
        {
            output.WriteLine($"    DANE       no match: {problem}");
        }
        if (sts.InForce is not null && sts.Enabled)
        {
            output.WriteLine(host.MtaStsPattern is { } pattern ? $"    MTA-STS    in policy ({pattern})" : "    MTA-STS    not in policy");
        }
        output.WriteLine(host.SkipReply is { } reply ? $"    Postern    skips this host: {reply}" : $"    Postern    delivers with tls={host.Plan}");
    }

    private static string Policy(MtaStsPolicyFacts policy) =>
        $"id {policy.Id}, mode {policy.Mode}, mx {(policy.Mx.Count == 0 ? "none" : string.Join(" ", policy.Mx))}, max_age {policy.MaxAgeSeconds}";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Suffix(string? problem) => problem is null ? "" : ": " + problem;
}
