using System.Text;
using Postern.Core.Addressing;
using Postern.Protocol.Commands;

namespace Postern.Fuzz.Targets;

/// <summary>
/// The address parser, through MAIL and RCPT arguments and bare mailboxes. An accepted address
/// holds no control character, fits the path limit, and reads back as itself from its own text
/// (what the queue, the log and the relay client write is what was accepted).
/// </summary>
internal static class PathTarget
{
    public static void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var rest = StripPrefix(StripPrefix(text, "MAIL "), "RCPT ");
        rest = StripPrefix(StripPrefix(rest, "FROM:"), "TO:");
        CheckMail("FROM:" + rest);
        CheckRcpt("TO:" + rest);
        if (MailboxParser.TryParseMailbox(rest, out var mailbox, out var error))
        {
            CheckMailbox(mailbox, "a bare mailbox");
        }
        else
        {
            ReplyChecks.RequireCleanRefusal(error, "mailbox");
        }
    }

    public static void CheckMail(string argument)
    {
        var outcome = MailFromParser.ParseMailFrom(argument);
        if (!outcome.IsSuccess)
        {
            ReplyChecks.RequireCleanRefusal(outcome.Error, "MAIL");
            return;
        }
        var command = outcome.Value ?? throw new FuzzInvariantException("MAIL: success carries a command");
        if (command.Sender is { } sender)
        {
            CheckMailbox(sender, "MAIL's sender");
        }
        ReplyChecks.RequireNoControl(command.EnvelopeId, "ENVID");
        ReplyChecks.RequireNoControl(command.Auth, "AUTH=");
        FuzzInvariantException.Require(command.EnvelopeId is null or { Length: <= MailFromParser.MaxEnvelopeIdLength }, "ENVID is at most 100 characters");
        FuzzInvariantException.Require(command.Size is null or >= 0, "SIZE is not negative");
    }

    public static void CheckRcpt(string argument)
    {
        var outcome = RcptToParser.ParseRcptTo(argument);
        if (!outcome.IsSuccess)
        {
            ReplyChecks.RequireCleanRefusal(outcome.Error, "RCPT");
            return;
        }
        var command = outcome.Value ?? throw new FuzzInvariantException("RCPT: success carries a command");
        FuzzInvariantException.Require(command.Recipient is not null, "RCPT: an accepted recipient is there");
        CheckMailbox(command.Recipient, "RCPT's recipient");
        ReplyChecks.RequireNoControl(command.OriginalRecipient, "ORCPT");
    }

    private static void CheckMailbox(Mailbox? mailbox, string what)
    {
        FuzzInvariantException.Require(mailbox is not null, what + " is there");
        ReplyChecks.RequireNoControl(mailbox!.LocalPart, what + "'s local part");
        ReplyChecks.RequireNoControl(mailbox.Domain, what + "'s domain");
        if (mailbox.Domain.Length == 0)
        {
            // <Postmaster> without a domain (RFC 5321 4.1.1.3): there is no mailbox text to read back.
            return;
        }
        var written = mailbox.ToString();
        FuzzInvariantException.Require(Encoding.UTF8.GetByteCount(written) <= MailboxParser.MaxPathOctets, what + " fits the path limit");
        var readBack = MailboxParser.TryParseMailbox(written, out var again, out _);
        FuzzInvariantException.Require(readBack && again == mailbox, what + " reads back as itself from its text: " + written);
    }

    private static string StripPrefix(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? text[prefix.Length..] : text;
}
