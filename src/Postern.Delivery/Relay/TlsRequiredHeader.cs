using System.Buffers;
using System.Text;
using Postern.Core.Queueing;

namespace Postern.Delivery.Relay;

/// <summary>
/// The <c>TLS-Required: No</c> header field (RFC 8689 5): the sender asks that the recipient
/// domain's own TLS policies (DANE, MTA-STS) not hold the message back. Read from the spooled
/// header section as it leaves, so it counts however the message came in (SMTP, the sendmail
/// command, a milter's edit). Only the header section within the first 64 KiB is read: a header section longer than
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
        // Once per relayed message under the default "dane" level: a pooled buffer, and reading
        // stops at the end of the header section instead of taking the first 64 KiB of the body.
        var limit = (int)Math.Min(ScanLimit, message.BodyLength);
        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var filled = 0;
            await using (var body = message.OpenBody())
            {
                while (filled < limit)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(filled, limit - filled), cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }
                    // The blank line may straddle two reads: look again from just before the new bytes.
                    var searchFrom = Math.Max(0, filled - 2);
                    filled += read;
                    if (HeaderEnd(buffer.AsSpan(0, filled), searchFrom) >= 0)
                    {
                        break;
                    }
                }
            }
            return SaysNo(buffer.AsSpan(0, filled));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Looks through a header section (CRLF or LF lines, folded lines unfolded) for the field.</summary>
    internal static bool SaysNo(ReadOnlySpan<byte> header)
    {
        var end = HeaderEnd(header, 0);
        if (end < 0)
        {
            // No end of the header section within the limit: do not guess.
            return false;
        }
        // Folding never splits a field name, so a header section without the name has no such
        // field: most messages are answered here without making a string.
        if (!Mentions(header[..end]))
        {
            return false;
        }
        string? field = null;
        var saysNo = false;
        foreach (var raw in Encoding.Latin1.GetString(header[..end]).Split('\n'))
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

    /// <summary>Where the blank line that ends the header section starts (searching from <paramref name="from"/>), or -1.</summary>
    private static int HeaderEnd(ReadOnlySpan<byte> header, int from)
    {
        if (header.StartsWith("\n"u8) || header.StartsWith("\r\n"u8))
        {
            return 0;
        }
        var rest = header[from..];
        var lf = rest.IndexOf("\n\n"u8);
        var crlf = rest.IndexOf("\n\r\n"u8);
        var end = lf < 0 ? crlf : crlf < 0 ? lf : Math.Min(lf, crlf);
        return end < 0 ? -1 : from + end;
    }

    /// <summary>Whether the field name appears anywhere, in any case.</summary>
    private static bool Mentions(ReadOnlySpan<byte> header)
    {
        var name = "TLS-Required"u8;
        while (true)
        {
            var start = header.IndexOfAny((byte)'T', (byte)'t');
            if (start < 0 || header.Length - start < name.Length)
            {
                return false;
            }
            if (Ascii.EqualsIgnoreCase(header.Slice(start, name.Length), name))
            {
                return true;
            }
            header = header[(start + 1)..];
        }
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
