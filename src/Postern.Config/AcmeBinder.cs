using System.Buffers.Text;
using System.Net;
using Postern.Pki.Acme;
using Tomlyn.Model;

namespace Postern.Config;

/// <summary>
/// Binds <c>[acme]</c> into <see cref="AcmeOptions"/>: the directory (an https URL or
/// "letsencrypt" / "letsencrypt-staging"), the names (server.hostname unless listed), how they are
/// proven and when the certificate is renewed. Null when the section is absent. Files named here are
/// checked for existence only; <c>config check</c> reads them.
/// </summary>
internal static class AcmeBinder
{
    /// <summary>Under the data directory: the ACME state (account, state, live certificates).</summary>
    public const string DirectoryName = "acme";

    /// <summary>Let's Encrypt allows 100 names on one certificate; other CAs fewer.</summary>
    public const int MaxDomains = 100;

    public static readonly TimeSpan MinRenewBefore = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxRenewBefore = TimeSpan.FromDays(90);

    private const string DnsOnly = "dns-01";
    private static readonly string[] DnsKeys = ["dns_update_server", "dns_tsig_key_file", "dns_zone"];
    private static readonly string[] RequiredDnsKeys = ["dns_update_server", "dns_tsig_key_file"];

    public static readonly IReadOnlyDictionary<string, AcmeChallengeType> Challenges = new Dictionary<string, AcmeChallengeType>(StringComparer.Ordinal)
    {
        ["http-01"] = AcmeChallengeType.Http01,
        ["tls-alpn-01"] = AcmeChallengeType.TlsAlpn01,
        ["dns-01"] = AcmeChallengeType.Dns01,
    };

    private static readonly Dictionary<string, AcmeKeyTypes> KeyTypeWords = new(StringComparer.Ordinal)
    {
        ["ecdsa"] = AcmeKeyTypes.Ecdsa,
        ["rsa"] = AcmeKeyTypes.Rsa,
    };

    private static readonly Dictionary<string, Uri> DirectoryWords = new(StringComparer.Ordinal)
    {
        ["letsencrypt"] = AcmeOptions.LetsEncrypt,
        ["letsencrypt-staging"] = AcmeOptions.LetsEncryptStaging,
    };

    public static AcmeOptions? Bind(ConfigSection? section, string hostName, string dataDirectory, ConfigurationInputs inputs)
    {
        if (section is null)
        {
            return null;
        }
        var challenge = section.GetChoice("challenge", Challenges) ?? AcmeChallengeType.Http01;
        var options = new AcmeOptions
        {
            DirectoryUrl = ReadDirectory(section) ?? AcmeOptions.LetsEncrypt,
            DirectoryCaFile = ExistingFile(section, "directory_ca_file", dataDirectory, inputs),
            Email = MailboxSetting.Read(section, "email"),
            Domains = ReadDomains(section, hostName, challenge),
            Challenge = challenge,
            HttpListen = ReadListen(section, "http_listen", 80),
            TlsAlpnListen = ReadListen(section, "tls_alpn_listen", 443),
            KeyTypes = ReadKeyTypes(section) ?? AcmeKeyTypes.Ecdsa,
            RenewBefore = section.GetDuration("renew_before", MinRenewBefore, MaxRenewBefore),
            Directory = ConfigPaths.Resolve(DirectoryName, dataDirectory),
        };
        options = ReadExternalAccountBinding(section, options);
        options = ReadDnsUpdate(section, options, dataDirectory, inputs);
        section.ReportUnknownKeys();
        return options;
    }

    private static Uri? ReadDirectory(ConfigSection section)
    {
        const string Key = "directory";
        if (!section.Contains(Key))
        {
            section.Diagnostics.Add(section.Location, section.KeyPath(Key),
                "is required: the ACME directory URL (https://...), or \"letsencrypt\" or \"letsencrypt-staging\"");
            return null;
        }
        if (section.GetString(Key) is not { } text)
        {
            return null;
        }
        if (DirectoryWords.TryGetValue(text, out var known))
        {
            return known;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps && url.Host.Length > 0
            && url.UserInfo.Length == 0 && url.Fragment.Length == 0)
        {
            return url;
        }
        section.Error(Key, $"must be an https:// URL (RFC 8555 requires HTTPS), \"letsencrypt\" or \"letsencrypt-staging\", got {ConfigValueText.Quote(text)}");
        return null;
    }

    private static List<string> ReadDomains(ConfigSection section, string hostName, AcmeChallengeType challenge)
    {
        const string Key = "domains";
        if (section.GetStringArray(Key) is not { } names)
        {
            return [hostName.ToLowerInvariant()];
        }
        if (names.Count is 0 or > MaxDomains)
        {
            section.Error(Key, $"must list 1 to {MaxDomains} names, got {names.Count}; leave domains out for [\"{hostName}\"] (server.hostname)");
            return [hostName.ToLowerInvariant()];
        }
        var result = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].ToLowerInvariant();
            var wildcard = name.StartsWith("*.", StringComparison.Ordinal);
            if (!HostNameSyntax.IsValid(wildcard ? name[2..] : name))
            {
                section.ItemError(Key, i, $"must be a host name (letters, digits, inner hyphens, dot-separated labels), got {ConfigValueText.Quote(names[i])}");
            }
            else if (wildcard && challenge != AcmeChallengeType.Dns01)
            {
                section.ItemError(Key, i, $"{ConfigValueText.Quote(names[i])} is a wildcard: CAs prove wildcards only by dns-01; set challenge = \"dns-01\" or list the names");
            }
            else if (!name.Contains('.', StringComparison.Ordinal))
            {
                section.ItemError(Key, i, $"{ConfigValueText.Quote(names[i])} has no dot: a public CA issues only for fully qualified names");
            }
            else if (result.Contains(name))
            {
                section.ItemError(Key, i, $"lists {ConfigValueText.Quote(names[i])} twice");
            }
            else
            {
                result.Add(name);
            }
        }
        return result.Count > 0 ? result : [hostName.ToLowerInvariant()];
    }

    private static IPEndPoint ReadListen(ConfigSection section, string key, int defaultPort)
    {
        var fallback = new IPEndPoint(IPAddress.Any, defaultPort);
        if (section.GetString(key) is not { } text)
        {
            return fallback;
        }
        // Port 0 is refused: the CA connects to a port it knows, not to one the system picked.
        if (!ListenAddressSyntax.TryParse(text, out var endPoint) || endPoint.Port == 0)
        {
            section.Error(key, $"must be IPv4:port, [IPv6]:port, *:port or [::]:port with a port from 1 to 65535, got {ConfigValueText.Quote(text)}");
            return fallback;
        }
        return endPoint;
    }

    private static AcmeKeyTypes? ReadKeyTypes(ConfigSection section)
    {
        const string Key = "key_type";
        if (!section.TryGetValue(Key, out var value))
        {
            return null;
        }
        IReadOnlyList<object?> words = value switch
        {
            string one => [one],
            TomlArray array => [.. array],
            _ => [],
        };
        var types = default(AcmeKeyTypes);
        foreach (var word in words)
        {
            if (word is not string text || !KeyTypeWords.TryGetValue(text, out var type) || types.HasFlag(type))
            {
                words = [];
                break;
            }
            types |= type;
        }
        if (words.Count == 0)
        {
            section.Error(Key, $"must be \"ecdsa\", \"rsa\" or [\"ecdsa\", \"rsa\"] (both: ECDSA to clients that offer it, RSA to the rest), got {ConfigValueText.Describe(value)}");
            return null;
        }
        return types;
    }

    private static AcmeOptions ReadExternalAccountBinding(ConfigSection section, AcmeOptions options)
    {
        const string KidKey = "eab_kid";
        const string MacKey = "eab_hmac_key";
        var kid = section.GetString(KidKey);
        var mac = section.GetString(MacKey);
        if (kid is not null && (kid.Length is 0 or > 256 || kid.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
        {
            section.Error(KidKey, $"must be the key identifier the CA gave (1 to 256 characters, no spaces), got {ConfigValueText.Quote(kid)}");
            kid = null;
        }
        byte[]? key = null;
        if (mac is not null && (key = DecodeMacKey(mac)) is null)
        {
            // The key itself is secret: never echo it.
            section.Error(MacKey, "must be the MAC key the CA gave, in base64url (letters, digits, '-' and '_'), of at least 16 bytes");
        }
        if (section.Contains(KidKey) != section.Contains(MacKey))
        {
            var (present, missing) = section.Contains(KidKey) ? (KidKey, MacKey) : (MacKey, KidKey);
            section.Error(present, $"is set without {missing}: external account binding needs both the key id and its MAC key");
            return options;
        }
        return options with { EabKeyId = kid, EabHmacKey = key };
    }

    /// <summary>base64url (RFC 4648 5) with or without padding, at least 16 bytes; null otherwise.</summary>
    private static byte[]? DecodeMacKey(string text)
    {
        if (text.Length > 1024 || text.Any(char.IsWhiteSpace) || !Base64Url.IsValid(text, out var length) || length < 16)
        {
            return null;
        }
        return Base64Url.DecodeFromChars(text);
    }

    private static AcmeOptions ReadDnsUpdate(ConfigSection section, AcmeOptions options, string dataDirectory, ConfigurationInputs inputs)
    {
        if (options.Challenge != AcmeChallengeType.Dns01)
        {
            foreach (var key in DnsKeys.Where(section.Contains))
            {
                section.Error(key, $"is only used with challenge = \"{DnsOnly}\"; remove it, or set challenge = \"{DnsOnly}\"");
            }
            return options;
        }
        var server = ReadUpdateServer(section);
        var keyFile = ExistingFile(section, "dns_tsig_key_file", dataDirectory, inputs);
        foreach (var required in RequiredDnsKeys.Where(k => !section.Contains(k)))
        {
            section.Diagnostics.Add(section.Location, section.KeyPath(required), required == "dns_update_server"
                ? "is required with challenge = \"dns-01\": the zone's primary server that takes RFC 2136 updates (IP or IP:port)"
                : "is required with challenge = \"dns-01\": the TSIG key that signs the updates (tsig-keygen output)");
        }
        var zone = section.GetString("dns_zone");
        if (zone is not null && !HostNameSyntax.IsValid(zone.TrimEnd('.')))
        {
            section.Error("dns_zone", $"must be a domain name (the zone that holds _acme-challenge records), got {ConfigValueText.Quote(zone)}");
            zone = null;
        }
        return options with { DnsUpdateServer = server, DnsTsigKeyFile = keyFile, DnsZone = zone?.TrimEnd('.').ToLowerInvariant() };
    }

    private static IPEndPoint? ReadUpdateServer(ConfigSection section)
    {
        const string Key = "dns_update_server";
        if (section.GetString(Key) is not { } text)
        {
            return null;
        }
        if (!DnsServerSyntax.TryParse(text, out var endPoint))
        {
            section.Error(Key, $"must be {DnsServerSyntax.Description}, got {ConfigValueText.Quote(text)}");
            return null;
        }
        return endPoint;
    }

    private static string? ExistingFile(ConfigSection section, string key, string dataDirectory, ConfigurationInputs inputs)
    {
        var path = ConfigPaths.Read(section, key, dataDirectory);
        if (path is not null && inputs.CheckDaemonFiles && !inputs.FileExists(path))
        {
            section.Error(key, MissingPath.Describe(path, "file"));
            return null;
        }
        return path;
    }
}
