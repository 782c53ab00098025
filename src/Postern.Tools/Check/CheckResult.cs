using System.Text.Json.Serialization;

namespace Postern.Tools.Check;

/// <summary>Everything one <c>postern check</c> run found; <see cref="CheckFindings"/> judges it.</summary>
internal sealed record CheckResult
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required CheckMode Mode { get; init; }

    /// <summary>The address connected to, or null.</summary>
    public string? Address { get; init; }

    /// <summary>Why no connection could be made (exit 69), or null.</summary>
    public string? ConnectError { get; init; }

    public GreetingFacts? Greeting { get; init; }

    /// <summary>EHLO in clear; null with implicit TLS (there is none).</summary>
    public EhloFacts? EhloBeforeTls { get; init; }

    public TlsFacts? Tls { get; init; }

    public EhloFacts? EhloAfterTls { get; init; }

    public IReadOnlyList<WeakProtocolResult> WeakProtocols { get; init; } = [];

    public IReadOnlyList<RelayAttemptResult> RelayAttempts { get; init; } = [];

    public AuthAttemptResult? Auth { get; init; }

    /// <summary>A failure in the middle of the session (timeout, hang-up, protocol error), or null.</summary>
    public string? SessionError { get; init; }

    /// <summary>The EHLO of the session mail would use: after TLS when there was TLS.</summary>
    [JsonIgnore]
    public EhloFacts? FinalEhlo => EhloAfterTls ?? EhloBeforeTls;
}
