using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Tools.Sendmail;

/// <summary>
/// The header lines a local submission adds, as sendmail's MSP does: a Received header naming the
/// local user, and From:, Date: and Message-ID: when the message lacks them.
/// </summary>
public static class SubmissionHeaders
{
    /// <summary>Header fields never passed on: the blind copies stay blind.</summary>
    public static bool IsRemoved(HeaderField field) => field.Is("Bcc") || field.Is("Resent-Bcc");

    public static string Received(SubmittingUser user, string hostName, QueueId id, IReadOnlyList<EnvelopeRecipient> recipients, DateTimeOffset now)
    {
        var builder = new StringBuilder(160);
        builder.Append(CultureInfo.InvariantCulture, $"Received: from userid {user.Id} ({user.Name})\r\n");
        builder.Append(CultureInfo.InvariantCulture, $"\tby {hostName} (Postern) id {id.Value}");
        if (recipients.Count == 1)
        {
            // Only for a single recipient: naming one of several would leak Bcc recipients.
            builder.Append(CultureInfo.InvariantCulture, $"\r\n\tfor <{recipients[0].Address}>");
        }
        builder.Append("; ").Append(DateUtils.FormatDate(now)).Append("\r\n");
        return builder.ToString();
    }

    /// <summary>From:, Date: and Message-ID: lines for those <paramref name="headers"/> lacks.</summary>
    public static string Missing(HeaderSection headers, Mailbox? sender, string? fullName, string hostName, QueueId id, DateTimeOffset now)
    {
        var builder = new StringBuilder();
        if (!headers.Has("From"))
        {
            var address = sender?.ToString() ?? "MAILER-DAEMON@" + hostName;
            var from = fullName is null ? new MailboxAddress("", address) : new MailboxAddress(fullName, address);
            builder.Append("From: ").Append(from.ToString(FormatOptions.Default, encode: true)).Append("\r\n");
        }
        if (!headers.Has("Date"))
        {
            builder.Append("Date: ").Append(DateUtils.FormatDate(now)).Append("\r\n");
        }
        if (!headers.Has("Message-ID"))
        {
            builder.Append(CultureInfo.InvariantCulture, $"Message-ID: <{now.UtcDateTime:yyyyMMddHHmmss}.{id.Value}@{hostName}>\r\n");
        }
        return builder.ToString();
    }
}
