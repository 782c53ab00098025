using System.Globalization;
using System.Text;
using Postern.Core.Queueing;
using Postern.Core.Tls;

namespace Postern.Server.Session;

/// <summary>The trace header prepended to every accepted message (RFC 5321 4.4, RFC 3848 keywords).</summary>
internal static class ReceivedHeader
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Builds the header; with TLS it carries version, cipher, bits and verify as sendmail's does.</summary>
    public static byte[] Build(Envelope envelope, QueueId id, string hostName, TlsFacts? tls)
    {
        var client = envelope.Client;
        var builder = new StringBuilder(256);
        builder.Append("Received: from ").Append(client.HeloName ?? "unknown");
        builder.Append(" ([").Append(client.Address?.ToString() ?? "local").Append("])\r\n");
        builder.Append("\tby ").Append(hostName).Append(" (Postern) with ").Append(client.Protocol);
        builder.Append(" id ").Append(id.Value);
        if (tls is not null)
        {
            builder.Append("\r\n\t(version=").Append(tls.Version).Append(" cipher=").Append(tls.Cipher)
                .Append(" bits=").Append(tls.Bits.ToString(CultureInfo.InvariantCulture))
                .Append(" verify=").Append(tls.Peer.Word).Append(')');
        }
        if (envelope.Recipients.Count == 1)
        {
            // Only for a single recipient: naming one of several would leak Bcc recipients.
            builder.Append("\r\n\tfor <").Append(envelope.Recipients[0].Address).Append('>');
        }
        builder.Append("; ").Append(FormatDate(envelope.ReceivedAt)).Append("\r\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>An RFC 5322 date-time, e.g. <c>Mon, 23 Nov 2026 15:22:19 +0000</c>.</summary>
    public static string FormatDate(DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Days[(int)time.DayOfWeek]}, {time.Day} {Months[time.Month - 1]} {time.Year:D4} {time.Hour:D2}:{time.Minute:D2}:{time.Second:D2} {sign}{abs.Hours:D2}{abs.Minutes:D2}");
    }
}
