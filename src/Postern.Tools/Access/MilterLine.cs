using Postern.Config.Milters;
using Postern.Server.Options;

namespace Postern.Tools.Access;

/// <summary>
/// <c>access check</c>'s line naming the milters a session on the listener runs after the
/// restrictions, in order, and where the list comes from. The check does not contact them: their
/// answers depend on the message.
/// </summary>
internal static class MilterLine
{
    /// <summary>Null when no milter is configured at all.</summary>
    public static string? Format(MilterOptions milters, ListenerOptions listener)
    {
        if (milters.Definitions.Count == 0)
        {
            return null;
        }
        var source = listener.Milters is null ? "server.milters" : $"listener {listener.Name}'s milters";
        var running = milters.ForListener(listener);
        return running.Count == 0
            ? $"milters: none ({source}); restrictions decide alone"
            : $"milters: {string.Join(", ", running.Select(m => $"{m.Name} ({m.Socket}, default_action={MilterWriter.ActionWord(m.DefaultAction)})"))} from {source}, after the restrictions; not contacted by this check";
    }
}
