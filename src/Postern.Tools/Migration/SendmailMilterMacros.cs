using Postern.Core.Milters;

namespace Postern.Tools.Migration;

/// <summary>
/// sendmail's <c>confMILTER_MACROS_*</c> options with the lists sendmail's cf/m4/proto.m4 gives
/// them by default, so a .mc that extends a default (<c>define(`confMILTER_MACROS_ENVFROM',
/// confMILTER_MACROS_ENVFROM`, {mail_host}')</c>) is translated to the whole list.
/// </summary>
internal static class SendmailMilterMacros
{
    public static IReadOnlyList<(string Suffix, MilterMacroStage Stage, string[] Defaults)> Lists { get; } =
    [
        ("CONNECT", MilterMacroStage.Connect, ["j", "_", "{daemon_name}", "{if_name}", "{if_addr}"]),
        ("HELO", MilterMacroStage.Helo, ["{tls_version}", "{cipher}", "{cipher_bits}", "{cert_subject}", "{cert_issuer}"]),
        ("ENVFROM", MilterMacroStage.Mail, ["i", "{auth_type}", "{auth_authen}", "{auth_ssf}", "{auth_author}", "{mail_mailer}", "{mail_host}", "{mail_addr}"]),
        ("ENVRCPT", MilterMacroStage.Recipient, ["{rcpt_mailer}", "{rcpt_host}", "{rcpt_addr}"]),
        ("DATA", MilterMacroStage.Data, []),
        ("EOH", MilterMacroStage.EndOfHeaders, []),
        ("EOM", MilterMacroStage.EndOfMessage, ["{msg_id}"]),
    ];
}
