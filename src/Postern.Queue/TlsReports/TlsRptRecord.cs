using System.Diagnostics.CodeAnalysis;
using Postern.Core.Addressing;

namespace Postern.Queue.TlsReports;

/// <summary>
/// A domain's TLS-RPT record (RFC 8460 section 3): <c>v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x</c>.
/// The reporting addresses this MTA can use: mailto: mailboxes and https: URIs; other schemes are ignored.
/// </summary>
public sealed record TlsRptRecord(IReadOnlyList<Mailbox> Mailboxes, IReadOnlyList<Uri> HttpsUris)
{
    private const string Version = "v=TLSRPTv1";

    /// <summary>The addresses as the record gives them, the key for what was already delivered.</summary>
    public IEnumerable<string> Destinations =>
        Mailboxes.Select(m => "mailto:" + m).Concat(HttpsUris.Select(u => u.AbsoluteUri));

    /// <summary>
    /// The one TLS-RPT record among <paramref name="txtRecords"/>: records that do not begin with
    /// <c>v=TLSRPTv1</c> are discarded, and unless exactly one remains the domain takes no reports
    /// (section 3). False with the reason when there is none or it has no usable address.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> txtRecords, [NotNullWhen(true)] out TlsRptRecord? record, out string problem)
    {
        ArgumentNullException.ThrowIfNull(txtRecords);
        record = null;
        var candidates = txtRecords.Where(IsVersioned).ToList();
        if (candidates.Count != 1)
        {
            problem = candidates.Count == 0 ? "no v=TLSRPTv1 record" : $"{candidates.Count} v=TLSRPTv1 records (exactly one is allowed)";
            return false;
        }
        var mailboxes = new List<Mailbox>();
        var uris = new List<Uri>();
        var sawRua = false;
        foreach (var field in candidates[0].Split(';').Skip(1).Select(f => f.Trim(' ', '\t')))
        {
            if (field.Length == 0)
            {
                continue;
            }
            if (!field.StartsWith("rua=", StringComparison.Ordinal))
            {
                continue; // an extension (section 3: tlsrpt-extension), not for us
            }
            sawRua = true;
            foreach (var text in field[4..].Split(',').Select(u => u.Trim(' ', '\t')))
            {
                AddDestination(text, mailboxes, uris);
            }
        }
        if (!sawRua)
        {
            problem = "the record has no rua= field";
            return false;
        }
        if (mailboxes.Count == 0 && uris.Count == 0)
        {
            problem = "the record's rua= names no mailto: or https: address";
            return false;
        }
        record = new TlsRptRecord(mailboxes, uris);
        problem = "";
        return true;
    }

    private static bool IsVersioned(string text)
    {
        if (!text.StartsWith(Version, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = text.AsSpan(Version.Length).TrimStart(" \t");
        return rest.Length == 0 || rest[0] == ';';
    }

    private static void AddDestination(string text, List<Mailbox> mailboxes, List<Uri> uris)
    {
        if (text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            var address = text[7..];
            var query = address.IndexOf('?', StringComparison.Ordinal);
            address = Uri.UnescapeDataString(query < 0 ? address : address[..query]);
            if (MailboxParser.TryParseMailbox(address, out var mailbox, out _) && mailbox is not null && !mailbox.IsDomainLiteral
                && !mailboxes.Contains(mailbox))
            {
                mailboxes.Add(mailbox);
            }
        }
        else if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !uris.Contains(uri))
        {
            uris.Add(uri);
        }
    }
}
