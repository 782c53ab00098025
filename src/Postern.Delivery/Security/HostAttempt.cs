namespace Postern.Delivery.Security;

/// <summary>
/// One host tried for one or more recipient domains: the plan the session is held to, and each
/// domain's own plan for that host (the same requirement, but each domain's TLS-RPT policy).
/// </summary>
internal sealed record HostAttempt(HostSecurity Security, IReadOnlyList<HostSecurity> PerDomain)
{
    public static HostAttempt Alone(HostSecurity security) => new(security, [security]);
}
