using Microsoft.Extensions.Logging;
using Postern.Delivery.Lmtp;

namespace Postern.Hosting;

/// <summary>
/// The LMTP transports of `serve`: one for <c>local.transport</c> (local users' mailboxes) and one
/// for <c>virtual.transport</c> (the virtual mailbox domains), each from its configured string,
/// which the configuration has already checked.
/// </summary>
internal static class LmtpSetup
{
    /// <returns>The transport; null when <paramref name="transport"/> is not set (Maildirs, or no virtual domains).</returns>
    public static LmtpTransport? Create(string? transport, string hostName, TimeProvider clock, ILoggerFactory loggers) =>
        transport is null
            ? null
            : new LmtpTransport(LmtpEndpoint.Parse(transport), new LmtpOptions { LhloName = hostName }, clock, loggers.CreateLogger<LmtpTransport>());
}
