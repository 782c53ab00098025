using Postern.Core.Queueing;
using Postern.Core.Smtp;

namespace Postern.Server.Session;

/// <summary>A spool file ready for the message bytes, or the reply that says why there is none.</summary>
internal sealed record OpenedMessage(IMessageWriter? Writer, MessageIdSniffer? Sniffer, SmtpReply? Failure);
