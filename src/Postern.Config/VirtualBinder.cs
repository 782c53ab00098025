using Postern.Delivery.Virtual;

namespace Postern.Config;

/// <summary>
/// Binds <c>[virtual]</c>: the virtual mailbox domains (a list, or <c>pgsql:TABLE</c>), their
/// mailbox map (a file or <c>pgsql:TABLE</c>) and the transport that delivers them.
/// </summary>
internal static class VirtualBinder
{
    public static VirtualMailboxOptions Bind(ConfigSection? section, string dataDirectory, ConfigurationInputs inputs)
    {
        if (section is null)
        {
            return VirtualMailboxOptions.None;
        }
        const string DomainsKey = "domains";
        var options = VirtualMailboxOptions.None;
        if (section.TryGetValue(DomainsKey, out var domains) && domains is string)
        {
            options = options with { DomainsTable = MapReferenceSyntax.Read(section, DomainsKey, dataDirectory, inputs.CheckDaemonFiles, inputs) };
        }
        else if (section.GetStringArray(DomainsKey) is { } list)
        {
            options = options with { Domains = ReadDomains(section, DomainsKey, list) };
        }
        options = options with
        {
            Mailboxes = MapReferenceSyntax.Read(section, "mailboxes", dataDirectory, inputs.CheckDaemonFiles, inputs),
            Transport = TransportSyntax.Read(section, "transport"),
        };
        if (options.IsEnabled && options.Mailboxes is null && !section.Contains("mailboxes"))
        {
            section.Diagnostics.Add(section.Location, section.KeyPath("mailboxes"), "is required with virtual domains: the map listing their mailboxes");
        }
        if (options.IsEnabled && options.Transport is null && !section.Contains("transport"))
        {
            section.Diagnostics.Add(section.Location, section.KeyPath("transport"), "is required with virtual domains: where their mail goes, such as \"lmtp:unix:/run/dovecot/lmtp\"");
        }
        section.ReportUnknownKeys();
        return options;
    }

    private static List<string> ReadDomains(ConfigSection section, string key, IReadOnlyList<string> domains)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var valid = new List<string>();
        foreach (var domain in domains)
        {
            if (!HostNameSyntax.IsValid(domain))
            {
                section.Error(key, $"must be domain names, or pgsql:TABLE, got {ConfigValueText.Quote(domain)}");
            }
            else if (!seen.Add(domain))
            {
                section.Error(key, $"lists {ConfigValueText.Quote(domain)} twice");
            }
            else
            {
                valid.Add(domain.ToLowerInvariant());
            }
        }
        return valid;
    }
}
