namespace Postern.Core.Milters;

/// <summary>
/// sendmail's default macro list for each step (cf/m4/proto.m4's <c>confMILTER_MACROS_*</c>):
/// what a milter is sent when neither it nor its <see cref="MilterDefinition.Macros"/> names a
/// list, and what a .mc that extends a default list extends. None for DATA and end of headers.
/// </summary>
public static class MilterMacroDefaults
{
    private static readonly string[] Connect = ["j", "_", "{daemon_name}", "{if_name}", "{if_addr}"];
    private static readonly string[] Helo = ["{tls_version}", "{cipher}", "{cipher_bits}", "{cert_subject}", "{cert_issuer}"];
    private static readonly string[] Mail = ["i", "{auth_type}", "{auth_authen}", "{auth_ssf}", "{auth_author}", "{mail_mailer}", "{mail_host}", "{mail_addr}"];
    private static readonly string[] Recipient = ["{rcpt_mailer}", "{rcpt_host}", "{rcpt_addr}"];
    private static readonly string[] EndOfMessage = ["{msg_id}"];

    /// <summary>The default list for <paramref name="stage"/>; one shared instance per step.</summary>
    public static IReadOnlyList<string> For(MilterMacroStage stage) => stage switch
    {
        MilterMacroStage.Connect => Connect,
        MilterMacroStage.Helo => Helo,
        MilterMacroStage.Mail => Mail,
        MilterMacroStage.Recipient => Recipient,
        MilterMacroStage.EndOfMessage => EndOfMessage,
        _ => [],
    };
}
