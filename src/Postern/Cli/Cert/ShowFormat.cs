using System.Globalization;
using Postern.Pki.Authority;
using Postern.Pki.Certificates;

namespace Postern.Cli.Cert;

/// <summary>The text of <c>postern cert show</c>: one "label: value" per line, DNs in both forms.</summary>
internal static class ShowFormat
{
    private const string Indent = "                 ";

    public static void Write(TextWriter output, string path, CertificateReport report, DateTimeOffset now)
    {
        var facts = report.Facts;
        Line(output, "file", path);
        Line(output, "subject", facts.Subject);
        output.WriteLine(Indent + facts.SubjectRfc4514);
        Line(output, "issuer", facts.Issuer);
        output.WriteLine(Indent + facts.IssuerRfc4514);
        Line(output, "serial", facts.SerialNumber);
        Line(output, "not before", Time(facts.NotBefore));
        Line(output, "not after", Time(facts.NotAfter) + " (" + Remaining(facts.NotBefore, facts.NotAfter, now) + ")");
        Line(output, "key", report.KeyDescription);
        Line(output, "key usage", report.KeyUsages.Count == 0 ? "(no extension: any)" : string.Join(", ", report.KeyUsages));
        Line(output, "extended usage", report.ExtendedKeyUsages.Count == 0 ? "(no extension: any)" : string.Join(", ", report.ExtendedKeyUsages));
        var names = facts.DnsNames.Select(n => "DNS:" + n)
            .Concat(report.IpAddresses.Select(a => "IP:" + a))
            .Concat(facts.EmailAddresses.Select(e => "email:" + e))
            .ToList();
        Line(output, "alt names", names.Count == 0 ? "(none)" : string.Join(", ", names));
        Line(output, "SHA-256", CertificateFingerprint.Format(facts.FingerprintSha256));
        Line(output, "SPKI SHA-256", facts.SpkiSha256);
        Line(output, "CA", report.IsCa ? "yes" : "no");
        Line(output, "self-signed", report.IsSelfSigned ? "yes" : "no");
        output.WriteLine("access map:");
        output.WriteLine("  CERTISSUER:" + Policy.Access.SendmailDnCodec.Encode(facts.Issuer) + "\tRELAY");
        output.WriteLine("  CERTSUBJECT:" + Policy.Access.SendmailDnCodec.Encode(facts.Subject) + "\tRELAY");
        output.WriteLine("  CERTFP:sha256:" + facts.FingerprintSha256 + "\tRELAY");
        output.WriteLine("  CERTSPKI:sha256:" + facts.SpkiSha256 + "\tRELAY");
    }

    public static void Line(TextWriter output, string label, string value) =>
        output.WriteLine((label + ":").PadRight(Indent.Length) + value);

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";

    private static string Remaining(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now)
    {
        if (now < notBefore)
        {
            return "not yet valid";
        }
        var days = ExpiryCheck.DaysLeft(notAfter, now);
        return now >= notAfter
            ? $"EXPIRED {-days} day(s) ago"
            : $"{days} day(s) left";
    }
}
