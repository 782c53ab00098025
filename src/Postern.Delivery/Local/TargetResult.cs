using Postern.Core.Delivery;
using Postern.Core.Smtp;

namespace Postern.Delivery.Local;

/// <summary>What happened to one expanded target of a recipient.</summary>
internal sealed record TargetResult(DeliveryTarget Target, DeliveryStatus Status, SmtpReply Reply);
