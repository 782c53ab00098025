using System.Net;
using Postern.Protocol.Proxy;
using Postern.Server.Logging;
using Postern.Server.Options;
using Postern.Server.Session;

namespace Postern.Server.Listening;

/// <summary>
/// The start of a connection on a proxy listener: refuses a peer outside <c>proxy_trusted</c>
/// unheard, reads the PROXY header under <c>proxy_timeout</c>, and gives the end points the session
/// must use: the client's and the address it connected to when the header carries them, the
/// connection's own for a LOCAL health check (or a header without TCP addresses), as Postfix does.
/// Runs before admission and before any TLS handshake, so limits, policy, AUTH failure counts, the
/// mail log, the Received header and milter macros all see the client, never the proxy.
/// </summary>
internal static class ProxyHandshake
{
    /// <summary>The end points to use, or null when the connection was refused (and logged); the caller then closes it.</summary>
    public static async Task<(IPEndPoint Remote, IPEndPoint Local)?> RunAsync(
        Stream stream, IPEndPoint peer, IPEndPoint local, ListenerOptions listener, ProxyProtocolOptions proxy, SessionServices services, CancellationToken shutdown)
    {
        var relay = "[" + peer.Address + "]";
        if (!proxy.Trusts(peer.Address))
        {
            services.Logger.ConnectionLimited(relay, listener.Name, "not a trusted proxy (proxy_trusted)");
            return null;
        }
        ProxyParseResult result;
        using (var deadline = new CancellationTokenSource(proxy.Timeout, services.Clock))
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, shutdown))
        {
            try
            {
                result = await ProxyHeaderReader.ReadAsync(stream, wait.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                services.Logger.ConnectionLimited(relay, listener.Name, "no PROXY header within " + Seconds(proxy.Timeout));
                return null;
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                return null;
            }
            catch (IOException)
            {
                services.Logger.ConnectionLimited(relay, listener.Name, "PROXY header: connection lost");
                return null;
            }
        }
        if (result.Status != ProxyParseStatus.Complete)
        {
            services.Logger.ConnectionLimited(relay, listener.Name, "PROXY header: " + result.Error);
            return null;
        }
        var header = result.Header!;
        if (!header.CarriesAddresses)
        {
            var what = header.Command == ProxyCommand.Local ? "LOCAL" : "PROXY " + header.Family.ToString().ToUpperInvariant();
            services.Logger.ProxyUnrelayed(relay, what, listener.Name);
            return (peer, local);
        }
        var client = Plain(header.Source!);
        var destination = Plain(header.Destination!);
        services.Logger.ProxyRelayed(relay, client, destination, listener.Name, header.Version);
        return (client, destination);
    }

    // An IPv4 client written as ::ffff:a.b.c.d is the IPv4 client for policy and the log.
    private static IPEndPoint Plain(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s";
}
