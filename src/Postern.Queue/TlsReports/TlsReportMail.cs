using MimeKit;
using MimeKit.Utils;
using Postern.Core.Addressing;

namespace Postern.Queue.TlsReports;

/// <summary>
/// The report mail of RFC 8460 section 5.3: multipart/report; report-type="tlsrpt", a short text
/// part and the gzipped report as application/tlsrpt+gzip named by section 5.1's convention, with
/// the TLS-Report-Domain and TLS-Report-Submitter header fields and the section's Subject.
/// </summary>
public static class TlsReportMail
{
    public static MimeMessage Create(
        TlsReport report, string policyDomain, string fileName, byte[] gzip, IReadOnlyList<Mailbox> to, TlsReportingOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(options);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var mailbox in to)
        {
            message.To.Add(new MailboxAddress(null, mailbox.ToString()));
        }
        message.Date = now;
        message.MessageId = MimeUtils.GenerateMessageId(options.Submitter);
        message.Subject = $"Report Domain: {policyDomain} Submitter: {options.Submitter} Report-ID: <{report.ReportId}>";
        message.Headers.Add("TLS-Report-Domain", policyDomain);
        message.Headers.Add("TLS-Report-Submitter", options.Submitter);
        message.Headers.Add("Auto-Submitted", "auto-generated");

        var text = new TextPart("plain")
        {
            Text = $"This is an aggregate TLS report (RFC 8460) from {options.Submitter} for {policyDomain}, "
                + $"{report.DateRange.StartDatetime} to {report.DateRange.EndDatetime}.\r\n",
        };
        var attachment = new MimePart("application", "tlsrpt+gzip")
        {
            Content = new MimeContent(new MemoryStream(gzip, writable: false)),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = fileName },
        };
        message.Body = new MultipartReport("tlsrpt") { text, attachment };
        return message;
    }
}
