using System.Globalization;
using Postern.Core.Policy;
using Postern.Server.Options;

namespace Postern.Tools.Access;

/// <summary>
/// The <c>connection limits:</c> line of <c>postern access check</c>: what the listener does with
/// this client before the greeting (rate, concurrency, greet pause) and which setting or entry says so.
/// </summary>
internal static class ConnectionLimitsLine
{
    public static string Format(ClientLimits limits, SmtpServerOptions server, ListenerOptions listener)
    {
        var rate = limits.ConnectionsPerMinute is { Value: > 0 } perMinute
            ? Number(perMinute.Value) + " per minute (" + perMinute.Origin + ")"
            : "unlimited" + (limits.ConnectionsPerMinute is { } none ? " (" + none.Origin + ")" : "");
        var concurrent = limits.Connections is { } connections
            ? (connections.Value == 0 ? "unlimited" : Number(connections.Value)) + " (" + connections.Origin + ")"
            : Number(server.MaxConnectionsPerIp) + " (limits.max_connections_per_ip)";
        var pauseApplies = listener.Tls != Core.Tls.ListenerTlsMode.Implicit && listener.Auth != ListenerAuthMode.Require;
        var pause = limits.GreetPause switch
        {
            { Value: > 0 } ms when pauseApplies => Number(ms.Value) + " ms (" + ms.Origin + ")",
            { Value: > 0 } ms => "none on this listener (" + ms.Origin + " applies only where the client waits for the greeting)",
            { } zero => "none (" + zero.Origin + ")",
            null => "none",
        };
        return "connection limits: rate " + rate + ", concurrent " + concurrent + ", greet pause " + pause;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
