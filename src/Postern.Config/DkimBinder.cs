using Postern.Filters.Dkim;

namespace Postern.Config;

/// <summary>
/// Binds the <c>[[dkim]]</c> entries: domain, selector, key and the optional algorithm, header
/// lists, canonicalization and subdomains. Only the key file's existence is checked here; its
/// content is <see cref="Loading.DkimKeyLoader"/>'s business at start, reload and config check.
/// </summary>
internal static class DkimBinder
{
    private const string Key = "dkim";

    private static readonly Dictionary<string, DkimAlgorithm> Algorithms = new(StringComparer.Ordinal)
    {
        ["rsa"] = DkimAlgorithm.Rsa,
        ["ed25519"] = DkimAlgorithm.Ed25519,
    };

    private static readonly Dictionary<string, (DkimCanonicalization Header, DkimCanonicalization Body)> Canonicalizations = new(StringComparer.Ordinal)
    {
        ["relaxed/relaxed"] = (DkimCanonicalization.Relaxed, DkimCanonicalization.Relaxed),
        ["relaxed/simple"] = (DkimCanonicalization.Relaxed, DkimCanonicalization.Simple),
        ["simple/relaxed"] = (DkimCanonicalization.Simple, DkimCanonicalization.Relaxed),
        ["simple/simple"] = (DkimCanonicalization.Simple, DkimCanonicalization.Simple),
    };

    public static IReadOnlyList<DkimEntry> Bind(ConfigSection root, string dataDirectory, ConfigurationInputs inputs)
    {
        if (root.GetTableArray(Key) is not { } sections)
        {
            return [];
        }
        var entries = new List<DkimEntry>();
        var seen = new Dictionary<(string, string), int>();
        foreach (var section in sections)
        {
            var entry = BindOne(section, dataDirectory, inputs);
            section.ReportUnknownKeys();
            if (entry is null)
            {
                continue;
            }
            var pair = (entry.Domain, entry.Selector.ToLowerInvariant());
            if (seen.TryGetValue(pair, out var line))
            {
                section.Error("selector", $"selector \"{entry.Selector}\" of {entry.Domain} is configured twice (first on line {line}): one selector publishes one key");
                continue;
            }
            seen.Add(pair, section.LocationOf("selector").Line);
            entries.Add(entry);
        }
        return entries;
    }

    private static DkimEntry? BindOne(ConfigSection section, string dataDirectory, ConfigurationInputs inputs)
    {
        var domain = Name(section, "domain", "a domain name (example.com)");
        var selector = Name(section, "selector", "a selector of letters, digits, hyphens and dots (s2026)");
        var key = KeyFile(section, dataDirectory, inputs);
        var algorithm = section.GetChoice("algorithm", Algorithms);
        var headers = HeaderNames(section, "headers", requireFrom: true);
        var oversign = HeaderNames(section, "oversign_headers", requireFrom: false);
        var canonicalization = section.GetChoice("canonicalization", Canonicalizations);
        var subdomains = section.GetBoolean("subdomains");
        if (domain is null || selector is null || key is null)
        {
            return null;
        }
        var entry = new DkimEntry(domain.TrimEnd('.').ToLowerInvariant(), selector, key)
        {
            Algorithm = algorithm,
            Subdomains = subdomains ?? false,
        };
        if (headers is not null)
        {
            entry = entry with { Headers = headers };
        }
        if (oversign is not null)
        {
            entry = entry with { OversignHeaders = oversign };
        }
        if (canonicalization is { } pair)
        {
            entry = entry with { HeaderCanonicalization = pair.Header, BodyCanonicalization = pair.Body };
        }
        return entry;
    }

    private static string? Name(ConfigSection section, string key, string what)
    {
        var value = section.GetString(key);
        if (value is null)
        {
            if (!section.Contains(key))
            {
                section.Error(key, $"is required ({what})");
            }
            return null;
        }
        if (!HostNameSyntax.IsValid(value.TrimEnd('.')))
        {
            section.Error(key, $"must be {what}, got {ConfigValueText.Quote(value)}");
            return null;
        }
        return value;
    }

    private static string? KeyFile(ConfigSection section, string dataDirectory, ConfigurationInputs inputs)
    {
        const string KeyName = "key";
        var path = ConfigPaths.Read(section, KeyName, dataDirectory);
        if (path is null)
        {
            if (!section.Contains(KeyName))
            {
                section.Error(KeyName, "is required (the private key file, PEM; `postern dkim keygen` makes one)");
            }
            return null;
        }
        if (inputs.CheckDaemonFiles && !inputs.FileExists(path))
        {
            section.Error(KeyName, MissingPath.Describe(path, "file"));
            return null;
        }
        return path;
    }

    /// <summary>A list of header field names (printable characters but the colon), each once; the signed list must hold From (RFC 6376 section 5.4).</summary>
    private static IReadOnlyList<string>? HeaderNames(ConfigSection section, string key, bool requireFrom)
    {
        if (section.GetStringArray(key) is not { } names)
        {
            return null;
        }
        var valid = true;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name.Length == 0 || !name.All(c => c is > ' ' and <= '~' and not ':'))
            {
                section.ItemError(key, i, $"item {i + 1} must be a header field name (printable characters, no colon or space), got {ConfigValueText.Quote(name)}");
                valid = false;
            }
            else if (!seen.Add(name))
            {
                section.ItemError(key, i, $"lists {ConfigValueText.Quote(name)} twice (every occurrence of a listed field is signed)");
                valid = false;
            }
        }
        if (valid && requireFrom && !seen.Contains("From"))
        {
            section.Error(key, "must list From: a DKIM signature always signs the author (RFC 6376 section 5.4)");
            valid = false;
        }
        return valid ? names : null;
    }
}
