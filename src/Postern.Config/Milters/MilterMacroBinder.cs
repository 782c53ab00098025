using Postern.Core.Milters;

namespace Postern.Config.Milters;

/// <summary>
/// A milter's <c>macros = { connect = [...], helo = [...], ... }</c>: the macro names sent at each
/// step, as sendmail writes them (<c>j</c>, <c>{daemon_name}</c>). A step left out keeps sendmail's
/// default list; an empty list sends no macros at that step.
/// </summary>
internal static class MilterMacroBinder
{
    private const string Key = "macros";

    // The steps sendmail's confMILTER_MACROS_* name differently, so a copied word gets a pointed hint.
    private static readonly Dictionary<string, string> SendmailWords = new(StringComparer.Ordinal)
    {
        ["envfrom"] = "mail",
        ["envrcpt"] = "rcpt",
    };

    public static IReadOnlyDictionary<MilterMacroStage, IReadOnlyList<string>> Bind(ConfigSection milter)
    {
        var macros = new Dictionary<MilterMacroStage, IReadOnlyList<string>>();
        if (milter.GetTable(Key) is not { } table)
        {
            return macros;
        }
        foreach (var (word, stage) in MilterMacroSyntax.Stages)
        {
            if (table.GetStringArray(word) is not { } names)
            {
                continue;
            }
            var bad = names.FirstOrDefault(n => !MilterMacroSyntax.IsMacroName(n));
            if (bad is not null)
            {
                table.Error(word, $"must list macro names as sendmail writes them (\"j\", \"{{daemon_name}}\"), got {ConfigValueText.Quote(bad)}");
            }
            else if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            {
                table.Error(word, "lists a macro twice");
            }
            else
            {
                macros[stage] = names;
            }
        }
        table.ReportUnknownKeys(SendmailWords);
        return macros;
    }
}
