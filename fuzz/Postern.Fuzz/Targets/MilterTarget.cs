using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Stages;
using Postern.Milter.Client;
using Postern.Milter.Protocol;

namespace Postern.Fuzz.Targets;

/// <summary>
/// What a milter sends, as the client reads it: frames through the bounded reader (whole and a
/// few bytes at a time, which must agree), each decoded as a reply, a negotiation checked, a
/// reply code made an SMTP reply, and the modification actions applied to a draft. Bad input is
/// a <see cref="MilterProtocolException"/> and nothing else; a frame never exceeds the limit.
/// </summary>
internal static class MilterTarget
{
    private static readonly MilterNegotiation Everything = new(6, MilterActions.All, MilterProtocolFlags.None, new Dictionary<Core.Milters.MilterMacroStage, IReadOnlyList<string>>());

    public static void Run(byte[] input)
    {
        var frames = ParseAll(input);
        var streamed = ReadAll(input);
        FuzzInvariantException.Require(frames.Count == streamed.Count, "the stream reader and the buffer parser find the same frames");
        var draft = new MessageDraft(
            new Envelope
            {
                Sender = new Mailbox("a", "example.org"),
                Recipients = [new EnvelopeRecipient(new Mailbox("b", "example.org"))],
                Client = new ClientInfo(IPAddress.Loopback, "client.example.org", "ESMTP", "mta"),
                ReceivedAt = DateTimeOffset.UnixEpoch,
            },
            [new HeaderField("Subject", "hi"), new HeaderField("Received", "x")],
            () => new MemoryStream());
        var transaction = new MilterTransaction(null, []);
        var edits = new MilterEdits(Everything, draft, transaction, Path.GetTempPath());
        try
        {
            foreach (var frame in frames)
            {
                FuzzInvariantException.Require(frame.Data.Length < MilterFrameReader.MaxFrameLength, "a frame stays within the limit");
                Decode(frame, edits);
            }
            edits.FinishBodyAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            foreach (var field in draft.Headers)
            {
                FuzzInvariantException.Require(field.Name.Length > 0 && !field.Name.Contains(':', StringComparison.Ordinal), "a header name is a name");
            }
            FuzzInvariantException.Require(
                draft.Envelope.Recipients.Select(r => r.Address.ToString().ToUpperInvariant()).Distinct().Count() == draft.Envelope.Recipients.Count,
                "a recipient is in the envelope once");
        }
        finally
        {
            transaction.RemoveReplacement();
        }
    }

    private static void Decode(MilterFrame frame, MilterEdits edits)
    {
        MilterReply reply;
        try
        {
            reply = MilterReplyParser.Parse(frame);
        }
        catch (MilterProtocolException)
        {
            return;
        }
        try
        {
            if (reply.Code == MilterReplyCode.ReplyCode)
            {
                var smtp = MilterReplies.FromReplyCode(reply.Text);
                FuzzInvariantException.Require(smtp.Code is >= 400 and < 600, "a milter's reply code is a 4xx or 5xx");
                ReplyChecks.RequireNoControl(string.Join(' ', smtp.Lines), "a milter's reply text");
            }
            else if (reply.Negotiation is { } negotiation)
            {
                var agreed = MilterNegotiation.From(negotiation);
                FuzzInvariantException.Require((agreed.Actions & ~MilterNegotiation.OfferedActions) == 0, "no action beyond the offer");
            }
            else if (MilterEdits.IsAction(reply.Code))
            {
                edits.ApplyAsync(reply, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (MilterProtocolException)
        {
        }
    }

    private static List<MilterFrame> ParseAll(byte[] input)
    {
        var frames = new List<MilterFrame>();
        ReadOnlyMemory<byte> rest = input;
        try
        {
            while (MilterFrameReader.TryParse(rest, out var frame, out var consumed))
            {
                FuzzInvariantException.Require(consumed == 5 + frame.Data.Length, "a frame takes its length and 4 bytes");
                frames.Add(frame);
                rest = rest[consumed..];
            }
        }
        catch (MilterProtocolException)
        {
        }
        return frames;
    }

    private static List<MilterFrame> ReadAll(byte[] input)
    {
        var frames = new List<MilterFrame>();
        var reader = new MilterFrameReader(new TrickleStream(input, 3));
        try
        {
            while (true)
            {
                frames.Add(reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult());
            }
        }
        catch (Exception e) when (e is MilterProtocolException or EndOfStreamException)
        {
        }
        return frames;
    }
}
