using System.Net;

namespace Postern.Filters.Authentication.Spf;

/// <summary>
/// One mechanism of a record: its qualifier (the result when it matches), kind, target
/// domain-spec (null: the current domain), CIDR lengths for a and mx, or the network of ip4/ip6.
/// </summary>
internal sealed record SpfMechanism(SpfResult Qualifier, SpfMechanismKind Kind)
{
    public SpfMacroString? DomainSpec { get; init; }

    public int Cidr4 { get; init; } = 32;

    public int Cidr6 { get; init; } = 128;

    public IPNetwork? Network { get; init; }

    /// <summary>Mechanisms that query DNS count against the limit of 10 (RFC 7208 section 4.6.4).</summary>
    public bool QueriesDns => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}
