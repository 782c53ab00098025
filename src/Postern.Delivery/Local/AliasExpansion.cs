namespace Postern.Delivery.Local;

/// <summary>
/// The result of expanding one local recipient: its de-duplicated targets in first-seen order,
/// the problem when it failed, and whether an alias (or :include:, or the postmaster default) was used.
/// </summary>
public sealed record AliasExpansion(ExpansionStatus Status, IReadOnlyList<DeliveryTarget> Targets, string? Problem, bool Aliased)
{
    public static AliasExpansion Unknown { get; } = new(ExpansionStatus.Unknown, [], "User unknown", false);
}
