using Postern.Core.Smtp;

namespace Postern.Delivery.Relay;

/// <summary>The server said 421: it is closing the connection, and what remains is deferred with its reply.</summary>
internal sealed class ServiceClosingException(SmtpReply reply) : IOException(reply.ToString())
{
    public SmtpReply Reply { get; } = reply;
}
