namespace Postern.Delivery.Local;

/// <summary>One final destination of a local recipient after alias expansion.</summary>
public sealed record DeliveryTarget(DeliveryTargetKind Kind, string Value)
{
    /// <summary>How the target reads in logs and replies: <c>bob</c>, <c>x@example.org</c>, <c>|cmd</c>, <c>/path</c>.</summary>
    public override string ToString() => Kind == DeliveryTargetKind.Pipe ? "|" + Value : Value;
}
