using Postern.Core.Addressing;
using Postern.Delivery.Routing;

namespace Postern.Delivery.Relay;

/// <summary>
/// Chooses the identity for a message to a host. The AUTH credential comes, first match wins, from
/// the sender (<c>delivery.sender_auth_file</c>: the address, then its @domain), the route
/// (<c>auth_user</c>/<c>auth_password_file</c>), then the host (<c>delivery.auth_file</c>), the
/// order Postfix uses with smtp_sender_dependent_authentication; the client certificate from the
/// route, else the global one.
/// </summary>
public sealed class RelayIdentities
{
    private readonly IRelayCredentials? _hosts;
    private readonly SenderAuthFile? _senders;
    private readonly IReadOnlyDictionary<string, RelayCredential> _routes;

    /// <param name="hosts">delivery.auth_file, by host name.</param>
    /// <param name="senders">delivery.sender_auth_file.</param>
    /// <param name="routes">Route credentials by route domain (as configured, <c>.example.org</c> included).</param>
    public RelayIdentities(IRelayCredentials? hosts = null, SenderAuthFile? senders = null, IReadOnlyDictionary<string, RelayCredential>? routes = null)
    {
        _hosts = hosts;
        _senders = senders;
        _routes = routes ?? new Dictionary<string, RelayCredential>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads each route's password file (a private file, like the AuthInfo files); throws
    /// <see cref="AuthInfoFileException"/> naming the file.
    /// </summary>
    public static IReadOnlyDictionary<string, RelayCredential> LoadRouteCredentials(IEnumerable<RelayRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var result = new Dictionary<string, RelayCredential>(StringComparer.OrdinalIgnoreCase);
        foreach (var route in routes)
        {
            if (route is { AuthUser: { } user, AuthPasswordFile: { } file })
            {
                result[route.Domain] = new RelayCredential(user, null, SecretFile.ReadPassword(file), []);
            }
        }
        return result;
    }

    public RelayIdentity For(Mailbox? sender, RelayDestination destination, RelayHost host)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(host);
        var route = destination.Route;
        var credential = _senders?.Find(sender?.ToString())
            ?? (route is not null && _routes.TryGetValue(route.Domain, out var routeCredential) ? routeCredential : null)
            ?? _hosts?.Find(host.Name);
        return credential is null && route?.ClientCertificate is null
            ? RelayIdentity.Default
            : new RelayIdentity(credential, route?.ClientCertificate);
    }
}
