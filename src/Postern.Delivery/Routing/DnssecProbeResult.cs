namespace Postern.Delivery.Routing;

/// <summary>What the DNSSEC probe found about the configured resolver.</summary>
/// <param name="Validates">True when the resolver answered the signed name with AD and failed the broken one.</param>
/// <param name="Distrust">True when the resolver answered the broken name: its AD bits cannot be trusted.</param>
/// <param name="Problem">What is wrong and what it means, for the start-up log and <c>config check</c>; null when it validates.</param>
public sealed record DnssecProbeResult(bool Validates, bool Distrust, string? Problem)
{
    public static DnssecProbeResult Validating { get; } = new(true, false, null);
}
