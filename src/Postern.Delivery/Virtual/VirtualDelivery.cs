using Postern.Core.Delivery;

namespace Postern.Delivery.Virtual;

/// <summary>The virtual mailbox domains and the transport their mail goes to (Postfix's virtual_transport).</summary>
/// <param name="Mailboxes">The domains and their mailbox map.</param>
/// <param name="Transport">Where their mail goes (an LMTP server such as Dovecot's), built from <c>virtual.transport</c>.</param>
public sealed record VirtualDelivery(VirtualMailboxes Mailboxes, ITransport Transport);
