using System.Text;

namespace Postern.Queue.Storage;

/// <summary>
/// The text of a quarantine reason as kept in a hold marker: one line of printable characters,
/// bounded, so a reason from a policy map cannot forge lines in <c>mailq</c> output or logs.
/// </summary>
internal static class HoldReason
{
    public const int MaxBytes = 4096;

    private const int MaxChars = 1000;

    public static string Clean(string reason)
    {
        var builder = new StringBuilder(Math.Min(reason.Length, MaxChars));
        foreach (var c in reason.AsSpan(0, Math.Min(reason.Length, MaxChars)))
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }
        return builder.ToString().Trim();
    }
}
