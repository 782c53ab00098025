using System.Text;
using Postern.Core.Queueing;
using Postern.Protocol.Commands;

namespace Postern.Delivery;

/// <summary>
/// RFC 3461's RCPT parameters (NOTIFY, ORCPT) as the relay client and the LMTP client pass them on
/// to a next hop that offers DSN, so the recipient's own DSN request travels with it.
/// </summary>
internal static class DsnRecipientParameters
{
    public static void AppendTo(StringBuilder command, EnvelopeRecipient recipient)
    {
        if (recipient.Notify != DsnNotify.None)
        {
            command.Append(" NOTIFY=").Append(Notify(recipient.Notify));
        }
        if (recipient.OriginalRecipient is { } original)
        {
            var semicolon = original.IndexOf(';', StringComparison.Ordinal);
            var (type, address) = semicolon < 0 ? ("rfc822", original) : (original[..semicolon], original[(semicolon + 1)..]);
            command.Append(" ORCPT=").Append(type).Append(';').Append(XtextCodec.Encode(address));
        }
    }

    private static string Notify(DsnNotify notify)
    {
        if (notify.HasFlag(DsnNotify.Never))
        {
            return "NEVER";
        }
        var parts = new List<string>(3);
        if (notify.HasFlag(DsnNotify.Success))
        {
            parts.Add("SUCCESS");
        }
        if (notify.HasFlag(DsnNotify.Failure))
        {
            parts.Add("FAILURE");
        }
        if (notify.HasFlag(DsnNotify.Delay))
        {
            parts.Add("DELAY");
        }
        return string.Join(',', parts);
    }
}
