using System.Net;
using System.Text;
using Postern.Filters.Authentication;
using Postern.Filters.Authentication.Dkim;
using Postern.Filters.Authentication.Dmarc;
using Postern.Filters.Authentication.Spf;

namespace Postern.Fuzz.Targets;

/// <summary>
/// The records a sender's DNS and message control: the input's first line is served as every SPF
/// record, the second as every DMARC record, the third is checked as an Authentication-Results
/// field, the fourth as a DKIM-Signature's tags. An SPF check ends within its limits however the
/// records include and redirect each other; the header Postern writes from the results holds no
/// line break but its own folding, whatever the records and sender contain.
/// </summary>
internal static class AuthenticationTarget
{
    // 10 DNS terms of at most 10 names with an address lookup each, their records, the p macro's names: far below this.
    private const int MaxQueries = 400;

    private static readonly PublicSuffixList Suffixes = PublicSuffixList.Parse(["org", "co.uk", "*.ck", "!www.ck"]);

    public static void Run(byte[] input)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n');
        string Line(int index) => index < lines.Length ? lines[index] : "";
        var dns = new AuthenticationDnsStub(Line(0), Line(1));
        var spf = new SpfChecker(dns, TimeProvider.System, TimeSpan.FromMinutes(1))
            .CheckAsync(IPAddress.Parse("192.0.2.1"), "alice@example.org", "mail.example.org", CancellationToken.None).AsTask().GetAwaiter().GetResult();
        FuzzInvariantException.Require(dns.Queries <= MaxQueries, $"an SPF check stays within its limits, made {dns.Queries} queries");

        var dkim = new[] { new DkimSignatureResult(DkimResult.Pass, Line(3), Line(3), Line(3), Line(3)) };
        var dmarc = new DmarcEvaluator(dns, Suffixes, TimeProvider.System, TimeSpan.FromMinutes(1), new Random(1))
            .EvaluateAsync(Line(2).Length > 0 ? Line(2) : "news.example.org", spf, dkim, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _ = Suffixes.OrganizationalDomain(Line(2));

        var header = AuthenticationResultsHeader.Build("mx.example.org", spf, dkim, dmarc);
        var unfolded = header.Replace("\r\n\t", "", StringComparison.Ordinal);
        FuzzInvariantException.Require(!unfolded.Any(c => c is '\r' or '\n'), "the header breaks lines only where it folds");
        _ = AuthenticationResultsHeader.Claims(Line(2), "mx.example.org");
        _ = DmarcRecord.TryParse(Line(1), out _);
        _ = DkimTags.Parse(Line(3));
    }
}
