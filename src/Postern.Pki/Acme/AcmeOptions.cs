using System.Net;

namespace Postern.Pki.Acme;

/// <summary>
/// <c>[acme]</c>: where certificates come from (an RFC 8555 directory), for which names, how the
/// names are proven and when they are renewed. Present only when the section is configured.
/// </summary>
public sealed record AcmeOptions
{
    /// <summary><c>acme.directory</c>: the directory URL (https); "letsencrypt" and "letsencrypt-staging" name Let's Encrypt's.</summary>
    public required Uri DirectoryUrl { get; init; }

    /// <summary><c>acme.directory_ca_file</c>: PEM CAs trusted for the ACME server's HTTPS besides the system store (a private CA, pebble).</summary>
    public string? DirectoryCaFile { get; init; }

    /// <summary><c>acme.email</c>: the account's contact (mailto:), optional.</summary>
    public string? Email { get; init; }

    /// <summary><c>acme.domains</c>: the names of the one certificate (SANs, first = subject); default [server.hostname].</summary>
    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary><c>acme.challenge</c>: http-01 (default), tls-alpn-01 or dns-01.</summary>
    public AcmeChallengeType Challenge { get; init; } = AcmeChallengeType.Http01;

    /// <summary><c>acme.http_listen</c>: the http-01 responder's address (default *:80).</summary>
    public required IPEndPoint HttpListen { get; init; }

    /// <summary><c>acme.tls_alpn_listen</c>: the tls-alpn-01 responder's address (default *:443).</summary>
    public required IPEndPoint TlsAlpnListen { get; init; }

    /// <summary><c>acme.key_type</c>: "ecdsa" (default), "rsa" or ["ecdsa", "rsa"] for both.</summary>
    public AcmeKeyTypes KeyTypes { get; init; } = AcmeKeyTypes.Ecdsa;

    /// <summary><c>acme.renew_before</c>: renew when this much validity is left; null = a third of the lifetime (ARI's window wins when the server offers one).</summary>
    public TimeSpan? RenewBefore { get; init; }

    /// <summary><c>acme.eab_kid</c>: the external account binding key id the CA gave (ZeroSSL, Google, step-ca).</summary>
    public string? EabKeyId { get; init; }

    /// <summary><c>acme.eab_hmac_key</c>: the EAB MAC key, base64url as the CA gives it, decoded.</summary>
    public byte[]? EabHmacKey { get; init; }

    /// <summary><c>acme.dns_update_server</c>: where RFC 2136 updates go (IP:port of the zone's primary); dns-01 only.</summary>
    public IPEndPoint? DnsUpdateServer { get; init; }

    /// <summary><c>acme.dns_tsig_key_file</c>: the TSIG key (BIND tsig-keygen format, or one line ALGORITHM:NAME:SECRET as knsupdate -y takes).</summary>
    public string? DnsTsigKeyFile { get; init; }

    /// <summary><c>acme.dns_zone</c>: the zone to update; null = found by an SOA query to the update server.</summary>
    public string? DnsZone { get; init; }

    /// <summary>The state directory: &lt;data_dir&gt;/acme (account key, account, state, live certificates).</summary>
    public required string Directory { get; init; }

    /// <summary>Let's Encrypt's production directory, the word "letsencrypt".</summary>
    public static readonly Uri LetsEncrypt = new("https://acme-v02.api.letsencrypt.org/directory");

    /// <summary>Let's Encrypt's staging directory, the word "letsencrypt-staging".</summary>
    public static readonly Uri LetsEncryptStaging = new("https://acme-staging-v02.api.letsencrypt.org/directory");
}
