using System.Globalization;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// What <c>postern cert list</c> and <c>config check</c> warn about, from the files alone (no
/// daemon, no server): renewal failing, and a live certificate that expires within
/// <see cref="WarnDays"/> days (which means renewal is not working: it renews a third of the
/// lifetime before the end).
/// </summary>
public static class AcmeHealth
{
    public const int WarnDays = 14;

    public static IReadOnlyList<string> Warnings(AcmeOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new AcmeStore(new AcmeLayout(options.Directory));
        var warnings = new List<string>();
        AcmeState state;
        try
        {
            state = store.LoadState();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"cannot read the ACME state: {e.Message}"];
        }
        if (state.ConsecutiveFailures > 0)
        {
            var next = state.NextRenewal is { } at ? ", next try " + Time(at) : "";
            warnings.Add($"ACME renewal has failed {Times(state.ConsecutiveFailures)} in a row, last at {(state.LastErrorAt is { } when ? Time(when) : "?")}: {state.LastError}{next} (postern cert acme status)");
        }
        foreach (var keyType in AcmeKeyTypeNames.Each(options.KeyTypes))
        {
            using var leaf = store.ReadLiveLeaf(keyType);
            if (leaf is null)
            {
                continue;
            }
            var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var left = notAfter - now;
            if (left < TimeSpan.FromDays(WarnDays))
            {
                var file = store.Layout.LiveFile(keyType);
                warnings.Add(left <= TimeSpan.Zero
                    ? $"{file}: the ACME certificate ({AcmeKeyTypeNames.Name(keyType)}) expired on {Time(notAfter)}"
                    : $"{file}: the ACME certificate ({AcmeKeyTypeNames.Name(keyType)}) expires on {Time(notAfter)}, in {(int)left.TotalDays} days; it should have been renewed by now (postern cert acme status)");
            }
        }
        return warnings;
    }

    private static string Times(int count) => count == 1 ? "once" : count.ToString(CultureInfo.InvariantCulture) + " times";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "Z";
}
