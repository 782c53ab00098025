using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Stages;
using Postern.Milter.Protocol;
using Postern.Protocol.Commands;

namespace Postern.Milter.Client;

/// <summary>
/// Applies a milter's modification actions at end of message to the <see cref="MessageDraft"/>,
/// in the order they arrive, as sendmail does: header additions, insertions, changes and
/// deletions; the body replacement (streamed to a file); recipients added and removed; the sender
/// changed. An action the milter did not negotiate, or an address that does not parse, breaks the
/// protocol (libmilter itself never sends one). Each applied action is described for the mail log.
/// </summary>
internal sealed class MilterEdits(MilterNegotiation negotiation, MessageDraft draft, MilterTransaction transaction, string temporaryDirectory)
{
    private readonly List<string> _described = [];

    /// <summary>What was changed, for the mail log (<c>insheader=DKIM-Signature, delrcpt=&lt;a@b&gt;</c>); empty when nothing.</summary>
    public string Description => string.Join(", ", _described);

    /// <summary>The action names applied, for the metrics.</summary>
    public List<string> Actions { get; } = [];

    /// <summary>True for the codes that are modification actions (allowed only at end of message).</summary>
    public static bool IsAction(MilterReplyCode code) => code is MilterReplyCode.AddHeader or MilterReplyCode.InsertHeader
        or MilterReplyCode.ChangeHeader or MilterReplyCode.ReplaceBody or MilterReplyCode.AddRecipient
        or MilterReplyCode.AddRecipientWithParameters or MilterReplyCode.DeleteRecipient or MilterReplyCode.ChangeSender;

    /// <exception cref="MilterProtocolException">The action was not negotiated, or its address or index is bad.</exception>
    public async ValueTask ApplyAsync(MilterReply reply, CancellationToken cancellationToken)
    {
        switch (reply.Code)
        {
            case MilterReplyCode.AddHeader:
                Require(MilterActions.AddHeaders, reply);
                draft.AddHeader(reply.Name, HeaderValue(reply.Value));
                Note("addheader", reply.Name);
                break;
            case MilterReplyCode.InsertHeader:
                Require(MilterActions.AddHeaders, reply);
                draft.InsertHeader((int)Math.Min(reply.Index, int.MaxValue), reply.Name, HeaderValue(reply.Value));
                Note("insheader", reply.Name);
                break;
            case MilterReplyCode.ChangeHeader:
                Require(MilterActions.ChangeHeaders, reply);
                ChangeHeader(reply);
                break;
            case MilterReplyCode.ReplaceBody:
                Require(MilterActions.ChangeBody, reply);
                transaction.Replacement ??= new ReplacementBody(temporaryDirectory);
                await transaction.Replacement.AppendAsync(reply.Body, cancellationToken);
                break;
            case MilterReplyCode.AddRecipient:
                Require(MilterActions.AddRecipient, reply);
                draft.AddRecipient(Address(reply.Address, PathKind.Forward) ?? throw BadAddress(reply));
                Note("addrcpt", reply.Address);
                break;
            case MilterReplyCode.AddRecipientWithParameters:
                Require(MilterActions.AddRecipientWithParameters, reply);
                draft.AddRecipient(RecipientWithParameters(reply));
                Note("addrcpt", reply.Address + (reply.Parameters.Length == 0 ? "" : " " + reply.Parameters));
                break;
            case MilterReplyCode.DeleteRecipient:
                Require(MilterActions.DeleteRecipient, reply);
                // Deleting an address that is not a recipient changes nothing, as in sendmail.
                draft.RemoveRecipient(Address(reply.Address, PathKind.Forward) ?? throw BadAddress(reply));
                Note("delrcpt", reply.Address);
                break;
            case MilterReplyCode.ChangeSender:
                Require(MilterActions.ChangeSender, reply);
                draft.ChangeSender(Sender(reply));
                Note("chgfrom", reply.Address);
                break;
            default:
                throw new MilterProtocolException($"'{(char)reply.Code}' is not a modification action");
        }
    }

    /// <summary>
    /// The end of message's final reply came: a replacement body, if any, becomes the draft's
    /// (its chunks are one body in the order sent, even with other actions between them).
    /// </summary>
    public async ValueTask FinishBodyAsync(CancellationToken cancellationToken)
    {
        if (transaction.Replacement is not { } replacement)
        {
            return;
        }
        await replacement.FinishAsync(cancellationToken);
        draft.ReplaceBody(replacement.Open);
        Note("replbody", replacement.Length + " bytes");
    }

    /// <summary>SMFIR_CHGHEADER: the index-th field of that name (0 counts as 1, as in sendmail); an empty value deletes it; a missing field is added.</summary>
    private void ChangeHeader(MilterReply reply)
    {
        var occurrence = (int)Math.Clamp(reply.Index, 1u, int.MaxValue);
        if (reply.Value.Length == 0)
        {
            if (draft.DeleteHeader(reply.Name, occurrence))
            {
                Note("chgheader", reply.Name + " (deleted)");
            }
            return;
        }
        var value = HeaderValue(reply.Value);
        if (!draft.ChangeHeader(reply.Name, occurrence, value))
        {
            // sendmail adds a header it was asked to change and does not find.
            draft.AddHeader(reply.Name, value);
        }
        Note("chgheader", reply.Name);
    }

    /// <summary>
    /// A value as the draft writes it (<c>Name: value</c>): folded lines come with LF, as sendmail
    /// sends them, and go into the spool with CRLF; with SMFIP_HDR_LEADSPC the milter gives the
    /// space after the colon itself, which the draft writes already.
    /// </summary>
    private string HeaderValue(string value)
    {
        if (negotiation.Skips(MilterProtocolFlags.HeaderLeadingSpace) && value.StartsWith(' '))
        {
            value = value[1..];
        }
        return value.ReplaceLineEndings("\r\n");
    }

    private static EnvelopeRecipient RecipientWithParameters(MilterReply reply)
    {
        var address = reply.Address.Trim();
        var argument = "TO:" + (address.StartsWith('<') ? address : "<" + address + ">") + (reply.Parameters.Length == 0 ? "" : " " + reply.Parameters);
        var parsed = RcptToParser.ParseRcptTo(argument);
        if (!parsed.IsSuccess)
        {
            throw new MilterProtocolException($"ADDRCPT_PAR '{reply.Address} {reply.Parameters}': {parsed.Error}");
        }
        var rcpt = parsed.Value!;
        return new EnvelopeRecipient(rcpt.Recipient, rcpt.Notify, rcpt.OriginalRecipient);
    }

    private static Mailbox? Sender(MilterReply reply)
    {
        var address = reply.Address.Trim();
        if (address is "<>" or "")
        {
            return null;
        }
        return Address(address, PathKind.Reverse) ?? throw BadAddress(reply);
    }

    /// <summary>An address as milters send it: in angle brackets or bare.</summary>
    private static Mailbox? Address(string text, PathKind kind)
    {
        text = text.Trim();
        if (text.StartsWith('<'))
        {
            return MailboxParser.TryParsePath(text, kind, out var path, out var consumed, out _) && consumed == text.Length ? path : null;
        }
        return MailboxParser.TryParseMailbox(text, kind, out var mailbox, out _) ? mailbox : null;
    }

    private void Require(MilterActions action, MilterReply reply)
    {
        if (!negotiation.Allows(action))
        {
            throw new MilterProtocolException($"action '{(char)reply.Code}' without negotiating it ({action})");
        }
    }

    private static MilterProtocolException BadAddress(MilterReply reply) =>
        new($"action '{(char)reply.Code}' with a bad address '{reply.Address}'");

    private void Note(string action, string detail)
    {
        _described.Add(action + "=" + detail);
        Actions.Add(action);
    }
}
