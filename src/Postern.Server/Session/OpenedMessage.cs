using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Server.Stages;

namespace Postern.Server.Session;

/// <summary>A spool file ready for the message bytes, or the reply that says why there is none.</summary>
internal sealed record OpenedMessage(IMessageWriter? Writer, MessageIdSniffer? Sniffer, SmtpReply? Failure)
{
    /// <summary>Feeds the content stages and keeps the header block; null when no handler needs either.</summary>
    public ContentFeed? Feed { get; init; }

    /// <summary>Where the DATA/BDAT reader writes the client's bytes.</summary>
    public Stream? Sink => Feed ?? (Stream?)Sniffer;
}
