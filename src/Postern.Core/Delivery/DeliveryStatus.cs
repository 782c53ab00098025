namespace Postern.Core.Delivery;

public enum DeliveryStatus
{
    Delivered,
    Deferred,
    Failed,
}
