using Microsoft.Extensions.Logging;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Stages;
using Postern.Core.Tls;
using Postern.Server.Auth;
using Postern.Server.Options;
using Postern.Server.Telemetry;

namespace Postern.Server.Session;

/// <summary>
/// What every session shares: options and the seams to policy, queue, clock and log; TLS is null
/// when no listener uses it; QueueControl (for ETRN) is null when the queue cannot be driven;
/// Auth is null when no SASL mechanism is configured.
/// </summary>
public sealed record SessionServices(
    SmtpServerOptions Options,
    IPolicyEngine Policy,
    IMessageQueue Queue,
    TimeProvider Clock,
    ILogger Logger,
    IServerTlsContext? Tls = null,
    IQueueControl? QueueControl = null)
{
    /// <summary>SASL mechanisms, users, failure limiter and sender login map; null: AUTH is not offered anywhere.</summary>
    public AuthServices? Auth { get; init; }

    /// <summary>The server's instruments; null: metrics are off.</summary>
    public ServerMetrics? Metrics { get; init; }

    /// <summary>Stage handlers run after <see cref="Policy"/>, in this order (milters, policy services, header checks).</summary>
    public IReadOnlyList<IStageHandler> Handlers { get; init; } = [];

    /// <summary>
    /// A listener's own handlers after <see cref="Policy"/>, by listener name, instead of
    /// <see cref="Handlers"/> (a listener with its own <c>milters</c> list); a listener not here runs <see cref="Handlers"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IStageHandler>> ListenerHandlers { get; init; } =
        new Dictionary<string, IReadOnlyList<IStageHandler>>();

    /// <summary>The handlers after <see cref="Policy"/> for sessions on <paramref name="listener"/>.</summary>
    public IReadOnlyList<IStageHandler> HandlersFor(string listener) =>
        ListenerHandlers.TryGetValue(listener, out var own) ? own : Handlers;

    /// <summary>Per-client connection rate, concurrency and greet pause (the access map's); null: none.</summary>
    public IClientLimits? ClientLimits { get; init; }

    /// <summary>Where a message waits while handlers may still edit it; null: the system's temporary directory.</summary>
    public string? HeldMessageDirectory { get; init; }
}
