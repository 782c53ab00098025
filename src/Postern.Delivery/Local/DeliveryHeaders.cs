using System.Text;
using Postern.Core.Addressing;

namespace Postern.Delivery.Local;

/// <summary>The headers local delivery prepends, as Postfix's local(8) does: Return-Path and Delivered-To.</summary>
internal static class DeliveryHeaders
{
    public static byte[] Build(Mailbox? sender, string deliveredTo, string newline) =>
        Encoding.UTF8.GetBytes(
            "Return-Path: " + ReversePath.Format(sender) + newline
            + "Delivered-To: " + deliveredTo + newline);
}
