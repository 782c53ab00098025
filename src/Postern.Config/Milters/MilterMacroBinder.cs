using System.Text.RegularExpressions;
using Postern.Core.Milters;

namespace Postern.Config.Milters;

/// <summary>
/// A milter's <c>macros = { connect = [...], helo = [...], ... }</c>: the macro names sent at each
/// step, as sendmail writes them (<c>j</c>, <c>{daemon_name}</c>). A step left out keeps sendmail's
/// default list; an empty list sends no macros at that step.
/// </summary>
internal static partial class MilterMacroBinder
{
    private const string Key = "macros";

    // The steps sendmail's confMILTER_MACROS_* name differently, so a copied word gets a pointed hint.
    private static readonly Dictionary<string, string> SendmailWords = new(StringComparer.Ordinal)
    {
        ["envfrom"] = "mail",
        ["envrcpt"] = "rcpt",
    };

    /// <summary>The configuration words of the steps, in protocol order.</summary>
    public static IReadOnlyList<(string Word, MilterMacroStage Stage)> Stages { get; } =
    [
        ("connect", MilterMacroStage.Connect),
        ("helo", MilterMacroStage.Helo),
        ("mail", MilterMacroStage.Mail),
        ("rcpt", MilterMacroStage.Recipient),
        ("data", MilterMacroStage.Data),
        ("eoh", MilterMacroStage.EndOfHeaders),
        ("eom", MilterMacroStage.EndOfMessage),
    ];

    /// <summary>A macro name as sendmail's milter configuration takes it: one character, or a long name in braces.</summary>
    public static bool IsMacroName(string text) => MacroPattern().IsMatch(text);

    public static IReadOnlyDictionary<MilterMacroStage, IReadOnlyList<string>> Bind(ConfigSection milter)
    {
        var macros = new Dictionary<MilterMacroStage, IReadOnlyList<string>>();
        if (milter.GetTable(Key) is not { } table)
        {
            return macros;
        }
        foreach (var (word, stage) in Stages)
        {
            if (table.GetStringArray(word) is not { } names)
            {
                continue;
            }
            var bad = names.FirstOrDefault(n => !IsMacroName(n));
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

    [GeneratedRegex(@"^([A-Za-z0-9_]|\{[A-Za-z0-9_]{1,64}\})$")]
    private static partial Regex MacroPattern();
}
