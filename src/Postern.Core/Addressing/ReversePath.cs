namespace Postern.Core.Addressing;

/// <summary>Helpers for the MAIL FROM reverse path, where <c>null</c> is the null sender <c>&lt;&gt;</c>.</summary>
public static class ReversePath
{
    public static string Format(Mailbox? sender) => sender is null ? "<>" : "<" + sender + ">";
}
