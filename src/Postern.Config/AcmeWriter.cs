using System.Net;
using System.Net.Sockets;
using Postern.Pki.Acme;

namespace Postern.Config;

/// <summary>
/// The <c>[acme]</c> section of <c>config show</c>, every key with its effective value. The EAB MAC
/// key is a secret and is never printed: the EAB keys are shown as comments, so the output still
/// loads (without the binding, which only registration uses).
/// </summary>
internal static class AcmeWriter
{
    public static void Write(TomlBuilder toml, AcmeOptions? acme)
    {
        if (acme is null)
        {
            toml.Comment("[acme] is not set: certificates are configured in [tls] or generated.");
            return;
        }
        toml.Section("acme");
        toml.Key("directory", TomlText.String(acme.DirectoryUrl.OriginalString));
        toml.OptionalPath("directory_ca_file", acme.DirectoryCaFile);
        if (acme.Email is { } email)
        {
            toml.Key("email", TomlText.String(email));
        }
        toml.Key("domains", TomlText.Array(acme.Domains));
        toml.Key("challenge", TomlText.String(AcmeBinder.Challenges.First(c => c.Value == acme.Challenge).Key));
        toml.Key("http_listen", TomlText.String(Address(acme.HttpListen)));
        toml.Key("tls_alpn_listen", TomlText.String(Address(acme.TlsAlpnListen)));
        toml.Key("key_type", acme.KeyTypes == AcmeKeyTypes.Rsa ? TomlText.String("rsa")
            : acme.KeyTypes.HasFlag(AcmeKeyTypes.Rsa) ? TomlText.Array(["ecdsa", "rsa"])
            : TomlText.String("ecdsa"));
        if (acme.RenewBefore is { } renewBefore)
        {
            toml.Key("renew_before", TomlText.String(DurationSyntax.Format(renewBefore)));
        }
        else
        {
            toml.Comment("renew_before: a third of the lifetime, or the CA's ARI window when it offers one.");
        }
        if (acme.EabKeyId is { } kid)
        {
            toml.Comment($"eab_kid = {TomlText.String(kid)}");
            toml.Comment("eab_hmac_key = \"(set)\": the external account binding's MAC key is never shown");
        }
        if (acme.DnsUpdateServer is { } server)
        {
            toml.Key("dns_update_server", TomlText.String(Address(server)));
        }
        toml.OptionalPath("dns_tsig_key_file", acme.DnsTsigKeyFile);
        if (acme.DnsZone is { } zone)
        {
            toml.Key("dns_zone", TomlText.String(zone));
        }
        toml.Comment($"Account, state and live certificates: {acme.Directory}");
    }

    private static string Address(IPEndPoint endPoint) => endPoint.Address.Equals(IPAddress.Any)
        ? $"*:{endPoint.Port}"
        : endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";
}
