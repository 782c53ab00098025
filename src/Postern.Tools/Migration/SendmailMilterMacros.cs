using Postern.Core.Milters;

namespace Postern.Tools.Migration;

/// <summary>
/// sendmail's <c>confMILTER_MACROS_*</c> options and the step each names; their default lists are
/// <see cref="MilterMacroDefaults"/>, so a .mc that extends a default (<c>define(`confMILTER_MACROS_ENVFROM',
/// confMILTER_MACROS_ENVFROM`, {mail_host}')</c>) is translated to the whole list.
/// </summary>
internal static class SendmailMilterMacros
{
    public static IReadOnlyList<(string Suffix, MilterMacroStage Stage)> Lists { get; } =
    [
        ("CONNECT", MilterMacroStage.Connect),
        ("HELO", MilterMacroStage.Helo),
        ("ENVFROM", MilterMacroStage.Mail),
        ("ENVRCPT", MilterMacroStage.Recipient),
        ("DATA", MilterMacroStage.Data),
        ("EOH", MilterMacroStage.EndOfHeaders),
        ("EOM", MilterMacroStage.EndOfMessage),
    ];
}
