using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Config.Check;

/// <summary>How <c>config check</c> probes the resolver; tests pass their own.</summary>
public delegate Task<DnssecProbeResult> DnssecProbeRunner(RelayOptions relay, CancellationToken cancellationToken);
