using System.Text.RegularExpressions;
using Postern.Core.Milters;

namespace Postern.Config.Milters;

/// <summary>The words of a milter's <c>macros</c> table and the macro names it takes, shared by the binder, <c>config show</c> and <c>import-mc</c>.</summary>
public static partial class MilterMacroSyntax
{
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

    /// <summary>The word of <paramref name="stage"/> (<c>rcpt</c>).</summary>
    public static string Word(MilterMacroStage stage) => Stages.First(s => s.Stage == stage).Word;

    [GeneratedRegex(@"^([A-Za-z0-9_]|\{[A-Za-z0-9_]{1,64}\})$")]
    private static partial Regex MacroPattern();
}
