using Postern.Delivery.Virtual;

namespace Postern.Config;

/// <summary>Writes <c>[virtual]</c> for <c>postern config show</c>, the maps as configured (a path or <c>pgsql:TABLE</c>).</summary>
internal static class VirtualWriter
{
    public static void Write(TomlBuilder toml, VirtualMailboxOptions options)
    {
        if (!options.IsEnabled)
        {
            return;
        }
        toml.Section("virtual");
        toml.Key("domains", options.DomainsTable is { } table ? TomlText.String(table.ToString()) : TomlText.Array(options.Domains));
        if (options.Mailboxes is { } mailboxes)
        {
            toml.Key("mailboxes", TomlText.String(mailboxes.ToString()));
        }
        if (options.Transport is { } transport)
        {
            toml.Key("transport", TomlText.String(transport));
        }
    }
}
