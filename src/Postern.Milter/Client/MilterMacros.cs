using System.Globalization;
using Postern.Protocol.Commands;

namespace Postern.Milter.Client;

/// <summary>
/// The macros sent before each step, as sendmail sends them: which names (the milter's own list
/// from the negotiation, else the configured one, else sendmail's default list for the step, from
/// cf/m4/proto.m4's confMILTER_MACROS_*) and their values. A name without a value at that step
/// (no TLS, not authenticated, unknown) is not sent, as sendmail leaves an undefined macro out.
/// </summary>
internal static class MilterMacros
{
    /// <summary>The <paramref name="names"/> that have a value, with it; empty when none has.</summary>
    public static List<KeyValuePair<string, string>> For(IReadOnlyList<string> names, MilterMacroContext context)
    {
        var macros = new List<KeyValuePair<string, string>>(names.Count);
        foreach (var name in names)
        {
            if (Value(name, context) is { } value)
            {
                macros.Add(new(name, value));
            }
        }
        return macros;
    }

    /// <summary>The value of one macro (name as sendmail writes it: <c>j</c>, <c>{client_addr}</c>), or null when undefined.</summary>
    public static string? Value(string name, MilterMacroContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = context.Session;
        var tls = session.Tls;
        var certificate = tls?.Peer.Certificate;
        return name switch
        {
            "j" => context.HostName,
            "i" => session.QueueId?.Value,
            // sendmail's "validated sender host": Postern does not look client names up, so it is
            // the address literal, as sendmail writes a client without a name.
            "_" => ClientName(context),
            "{daemon_name}" => session.ListenerName,
            "{daemon_addr}" or "{if_addr}" => session.Local.Address.ToString(),
            "{daemon_port}" => session.Local.Port.ToString(CultureInfo.InvariantCulture),
            "{if_name}" => context.HostName,
            "{client_addr}" => session.Remote.Address.ToString(),
            "{client_port}" => session.Remote.Port.ToString(CultureInfo.InvariantCulture),
            "{client_name}" => ClientName(context),
            "{s}" or "s" => session.HeloName,
            "{tls_version}" => tls?.Version,
            "{cipher}" => tls?.Cipher,
            "{cipher_bits}" => tls?.Bits.ToString(CultureInfo.InvariantCulture),
            // sendmail's {verify}: NONE without STARTTLS, else OK, NO, NOT or FAIL.
            "{verify}" => tls?.Peer.Word ?? "NONE",
            "{cert_subject}" => certificate?.Subject,
            "{cert_issuer}" => certificate?.Issuer,
            "{cn_subject}" => certificate?.SubjectCommonName,
            "{cn_issuer}" => certificate?.IssuerCommonName,
            "{auth_type}" => session.SaslLogin is null ? null : session.AuthMechanism,
            "{auth_authen}" => session.SaslLogin,
            // No SASL security layer is ever negotiated: the strength is 0 once authenticated.
            "{auth_ssf}" => session.SaslLogin is null ? null : "0",
            "{auth_author}" => AuthParameter(context),
            "{mail_mailer}" => context.HasMail ? (context.Sender is null ? "local" : "esmtp") : null,
            "{mail_host}" => context.Sender?.Domain,
            "{mail_addr}" => context.HasMail ? context.Sender?.ToString() ?? "" : null,
            "{rcpt_mailer}" => context.Recipient is null ? null : "esmtp",
            "{rcpt_host}" => context.Recipient?.Domain,
            "{rcpt_addr}" => context.Recipient?.ToString(),
            "{msg_id}" => context.MessageId,
            _ => null,
        };
    }

    private static string ClientName(MilterMacroContext context) => "[" + context.Session.Remote.Address + "]";

    /// <summary>MAIL's AUTH= value decoded from xtext; <c>&lt;&gt;</c> stays as the client sent it.</summary>
    private static string? AuthParameter(MilterMacroContext context)
    {
        foreach (var parameter in context.MailParameters)
        {
            if (parameter.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
            {
                return XtextCodec.TryDecode(parameter.AsSpan(5), out var decoded) ? decoded : null;
            }
        }
        return null;
    }
}
