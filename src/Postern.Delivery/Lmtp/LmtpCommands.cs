using System.Globalization;
using System.Text;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Protocol.Client;
using Postern.Protocol.Commands;

namespace Postern.Delivery.Lmtp;

/// <summary>MAIL and RCPT lines for an LMTP server, with the ESMTP parameters it advertised in LHLO.</summary>
internal static class LmtpCommands
{
    /// <summary>True when <paramref name="mailbox"/> can stand between angle brackets on a command line.</summary>
    public static bool IsSendable(string mailbox) =>
        mailbox.Length is > 0 and <= 512 && !mailbox.Any(c => c is '<' or '>' or ' ' || char.IsControl(c));

    public static string Mail(QueuedMessage message, EhloCapabilities capabilities, bool utf8, bool passDsn)
    {
        var envelope = message.Envelope;
        var command = new StringBuilder("MAIL FROM:").Append(ReversePath.Format(envelope.Sender));
        if (capabilities.Size)
        {
            command.Append(CultureInfo.InvariantCulture, $" SIZE={message.BodyLength}");
        }
        if (envelope.Body != BodyType.SevenBit && capabilities.EightBitMime)
        {
            command.Append(" BODY=8BITMIME");
        }
        if (utf8)
        {
            command.Append(" SMTPUTF8");
        }
        if (passDsn && capabilities.Dsn)
        {
            if (envelope.Return != DsnReturn.Unspecified)
            {
                command.Append(envelope.Return == DsnReturn.Full ? " RET=FULL" : " RET=HDRS");
            }
            if (envelope.EnvelopeId is { } envid)
            {
                command.Append(" ENVID=").Append(XtextCodec.Encode(envid));
            }
        }
        return command.ToString();
    }

    public static string Rcpt(LmtpDelivery delivery, EhloCapabilities capabilities, bool passDsn)
    {
        var command = new StringBuilder("RCPT TO:<").Append(delivery.Mailbox).Append('>');
        var recipient = delivery.Recipient;
        if (passDsn && capabilities.Dsn)
        {
            DsnRecipientParameters.AppendTo(command, recipient);
        }
        return command.ToString();
    }
}
