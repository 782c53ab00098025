namespace Postern.Delivery.Routing;

/// <summary>
/// Chooses the next hop for a recipient domain like sendmail's mailertable: an exact route first,
/// then the closest <c>.parent</c> route, then the smart host, else MX delivery.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, RelayRoute> _routes;
    private readonly NextHop? _smartHost;

    public RouteTable(IEnumerable<RelayRoute> routes, NextHop? smartHost)
    {
        ArgumentNullException.ThrowIfNull(routes);
        _routes = new Dictionary<string, RelayRoute>(StringComparer.OrdinalIgnoreCase);
        foreach (var route in routes)
        {
            if (!_routes.TryAdd(Normalize(route.Domain), route))
            {
                throw new ArgumentException($"Duplicate route for {route.Domain}", nameof(routes));
            }
        }
        _smartHost = smartHost;
    }

    public RouteMatch Lookup(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var name = Normalize(domain);
        if (_routes.TryGetValue(name, out var exact))
        {
            return Match(exact);
        }
        // Walk up: a.b.example.org tries .b.example.org, .example.org, .org.
        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            if (_routes.TryGetValue(name[dot..], out var parent))
            {
                return Match(parent);
            }
        }
        return _smartHost is not null
            ? new RouteMatch(_smartHost, null, "smarthost")
            : new RouteMatch(null, null, "mx");
    }

    private static RouteMatch Match(RelayRoute route) => new(route.Via, route.Tls, "route " + route.Domain) { Route = route };

    private static string Normalize(string domain) =>
        (domain.EndsWith('.') ? domain[..^1] : domain).ToLowerInvariant();
}
