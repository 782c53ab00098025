namespace Postern.Delivery.Relay;

/// <summary>
/// A connection slot for one host, held until returned or released. <see cref="Reused"/> is a kept
/// session to use (after RSET); <see cref="Evicted"/> is an idle session for another key whose slot
/// this grant took over: the holder closes it and opens its own.
/// </summary>
internal readonly record struct RelaySessionGrant(SmtpRelayClient? Reused, SmtpRelayClient? Evicted);
