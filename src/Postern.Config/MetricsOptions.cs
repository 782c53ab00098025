using System.Net;

namespace Postern.Config;

/// <summary>
/// <c>[metrics]</c>: where the Prometheus scrape endpoint (<c>/metrics</c>) and the health check
/// (<c>/healthz</c>) listen; null <paramref name="Listen"/> (the default) serves neither.
/// </summary>
public sealed record MetricsOptions(IPEndPoint? Listen)
{
    public static MetricsOptions Disabled { get; } = new((IPEndPoint?)null);

    public bool Enabled => Listen is not null;
}
