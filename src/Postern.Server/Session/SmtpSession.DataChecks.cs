using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Data;
using Postern.Server.Logging;
using Postern.Server.Options;

namespace Postern.Server.Session;

/// <summary>
/// The end-of-data checks that are not policy: size, storage and bare line endings, each refusal
/// logged with the queue id. Bare LFs follow <c>limits.bare_newline</c> (Postfix's
/// smtpd_forbid_bare_newline); a bare CR always refuses the message (see docs/smtp.md).
/// </summary>
internal sealed partial class SmtpSession
{
    /// <summary>The refusal of a message whose bytes are all in, and its metrics label; (null, null) to go on.</summary>
    private (SmtpReply? Reply, string? Rule) DataFailure(QueueId id, Envelope envelope, DataReadResult result, BareLineEnds bare)
    {
        if (result.TooLarge)
        {
            return (MessageTooBig(id, envelope.Sender), "message_size");
        }
        if (result.WriteError is { } error)
        {
            return (WriteFailed(id, error), "queue_write");
        }
        if (bare.CarriageReturns > 0)
        {
            var detail = bare.CarriageReturns.ToString(CultureInfo.InvariantCulture) + " bare CR received";
            return (MessageRefused(id, envelope.Sender, Replies.BareLineEnding, "bare_cr", detail), "bare_line_ending");
        }
        if (bare.LineFeeds == 0)
        {
            return (null, null);
        }
        if (RejectsBareNewline)
        {
            var detail = bare.LineFeeds.ToString(CultureInfo.InvariantCulture) + " bare LF received";
            return (MessageRefused(id, envelope.Sender, Replies.BareLineEnding, "bare_lf", detail), "bare_line_ending");
        }
        if (Log.IsEnabled(LogLevel.Information))
        {
            Log.BareNewlineNormalized(id.Value, bare.LineFeeds, ReversePath.Format(envelope.Sender), _relay);
        }
        return (null, null);
    }

    /// <summary>
    /// <c>bare_newline = "reject"</c> applies to this client: not in <c>bare_newline_exclusions</c>
    /// (whose clients are normalized instead, as Postfix exempts them from the rule).
    /// </summary>
    private bool RejectsBareNewline =>
        Options.BareNewline == BareNewlineMode.Reject && !IsIn(Options.BareNewlineExclusions, _state.Facts.Remote.Address);

    private static bool IsIn(IReadOnlyList<IPNetwork> networks, IPAddress address)
    {
        // IPv4 clients on an IPv6 socket match IPv4 networks, as in relay_networks.
        var client = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in networks)
        {
            if (network.Contains(client))
            {
                return true;
            }
        }
        return false;
    }

    private SmtpReply MessageTooBig(QueueId id, Mailbox? sender) =>
        MessageRefused(id, sender, Replies.MessageTooBig, "message_size", "over max_message_size (" + Options.MaxMessageSize.ToString(CultureInfo.InvariantCulture) + ")");

    private SmtpReply MessageRefused(QueueId id, Mailbox? sender, SmtpReply reply, string rule, string detail)
    {
        if (Log.IsEnabled(LogLevel.Information))
        {
            Log.MessageRejected(id.Value, "check_data", ReversePath.Format(sender), _relay, reply, rule + ": " + detail);
        }
        return reply;
    }
}
