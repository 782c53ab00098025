namespace Postern.Tools.Migration;

/// <summary>
/// What Debian's generated /etc/mail/tls/starttls.m4 defines (update_tlsm4), used when the .mc
/// includes it but the file is not at hand. Its <c>confTLS_SRV_OPTIONS `V'</c> is left out: seed
/// 000 comments it out so that client certificates are asked for, which is the point of relaying
/// by certificate.
/// </summary>
internal static class DebianStartTls
{
    public const string FileName = "starttls.m4";

    public static readonly IReadOnlyList<(string Name, string Value)> Defines =
    [
        ("confCACERT_PATH", "/etc/ssl/certs"),
        ("confCACERT", "/etc/mail/tls/sendmail-server.crt"),
        ("confSERVER_CERT", "/etc/mail/tls/sendmail-server.crt"),
        ("confSERVER_KEY", "/etc/mail/tls/sendmail-common.key"),
        ("confCLIENT_CERT", "/etc/mail/tls/sendmail-client.crt"),
        ("confCLIENT_KEY", "/etc/mail/tls/sendmail-common.key"),
        ("confDH_PARAMETERS", "/etc/mail/tls/sendmail-common.prm"),
    ];
}
