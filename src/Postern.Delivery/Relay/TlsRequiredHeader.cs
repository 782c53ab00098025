using System.Text;
using Postern.Core.Queueing;

namespace Postern.Delivery.Relay;

/// <summary>
/// The <c>TLS-Required: No</c> header field (RFC 8689 5): the sender asks that the recipient
/// domain's own TLS policies (DANE, MTA-STS) not hold the message back. Read from the spooled
/// header section as it leaves, so it counts however the message came in (SMTP, the sendmail
/// command, a milter's edit). Only the first 64 KiB are looked at: a header section longer than
/// that is treated as having no such field, which keeps the stricter policy.
/// </summary>
internal static class TlsRequiredHeader
{
    private const int ScanLimit = 64 * 1024;
    private const string FieldName = "TLS-Required";

    /// <summary>True when the message carries <c>TLS-Required: No</c> and did not ask for REQUIRETLS (which wins, RFC 8689 4.1).</summary>
    public static async ValueTask<bool> RelaxesPoliciesAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Envelope.RequireTls)
        {
            return false;
        }
        var buffer = new byte[(int)Math.Min(ScanLimit, message.BodyLength)];
        var filled = 0;
        await using (var body = message.OpenBody())
        {
            while (filled < buffer.Length)
            {
                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                filled += read;
            }
        }
        return SaysNo(buffer.AsSpan(0, filled));
    }

    /// <summary>Looks through a header section (CRLF or LF lines, folded lines unfolded) for the field.</summary>
    internal static bool SaysNo(ReadOnlySpan<byte> header)
    {
        var text = Encoding.Latin1.GetString(header);
        var end = HeaderEnd(text);
        if (end < 0)
        {
            // No end of the header section within the limit: do not guess.
            return false;
        }
        string? field = null;
        var saysNo = false;
        foreach (var raw in text[..end].Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && line[0] is ' ' or '\t')
            {
                field = field is null ? null : field + " " + line.Trim();
                continue;
            }
            saysNo |= IsNo(field);
            field = line;
        }
        return saysNo || IsNo(field);
    }

    /// <summary>Where the blank line that ends the header section starts, or -1.</summary>
    private static int HeaderEnd(string text)
    {
        if (text.StartsWith('\n') || text.StartsWith("\r\n", StringComparison.Ordinal))
        {
            return 0;
        }
        var lf = text.IndexOf("\n\n", StringComparison.Ordinal);
        var crlf = text.IndexOf("\n\r\n", StringComparison.Ordinal);
        return lf < 0 ? crlf : crlf < 0 ? lf : Math.Min(lf, crlf);
    }

    private static bool IsNo(string? field)
    {
        var colon = field?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0
            && field![..colon].Trim().Equals(FieldName, StringComparison.OrdinalIgnoreCase)
            && field[(colon + 1)..].Trim().Equals("No", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the recipient domain's policies could apply here (so the header is worth reading).</summary>
    public static bool HasRecipientPolicies(RelayDestination destination) =>
        destination.IsMxDelivery || destination.Tls is OutboundTlsPolicy.Dane or OutboundTlsPolicy.DaneOnly;

    /// <summary>
    /// The destination with the recipient domain's policies set aside: DANE levels become "may"
    /// and MTA-STS no longer applies; a level configured for the route (encrypt, verify) stays,
    /// as it is this server's own requirement, not the recipient's.
    /// </summary>
    public static RelayDestination WithoutRecipientPolicies(RelayDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var tls = destination.Tls is OutboundTlsPolicy.Dane or OutboundTlsPolicy.DaneOnly ? OutboundTlsPolicy.May : destination.Tls;
        return destination with { Tls = tls, IsMxDelivery = false };
    }
}
