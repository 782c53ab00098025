using Postern.Core.Maps;
using Postern.Delivery.Aliases;

namespace Postern.Delivery.Local;

/// <summary>
/// <c>local.aliases = "pgsql:TABLE"</c>: before a name is expanded, the rows it can reach are
/// fetched, level by level (the name, its <c>user</c> without <c>+detail</c>, postmaster, then every
/// local name their values and :include: files name), and the local directory gets them as its
/// aliases. The expander, which stays synchronous, then gives what the whole table would.
/// </summary>
public sealed class AliasTable(ILookupTable table)
{
    /// <summary>At most this many names are fetched for one expansion; deeper nesting is refused by the expander anyway.</summary>
    public const int MaxNames = 1024;

    public string Name => table.Name;

    /// <summary>A directory like <paramref name="directory"/> whose aliases are the rows <paramref name="localNames"/> can reach.</summary>
    /// <exception cref="LookupTableUnavailableException">The table cannot answer now (the delivery is deferred, the RCPT answered 451).</exception>
    public async ValueTask<LocalRecipientDirectory> ResolveAsync(LocalRecipientDirectory directory, IEnumerable<string> localNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(localNames);
        var options = directory.Options;
        var asked = new HashSet<string>(StringComparer.Ordinal);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        var next = new HashSet<string>(StringComparer.Ordinal) { LocalRecipientDirectory.Postmaster, directory.PostmasterUser };
        foreach (var name in localNames)
        {
            AddName(next, name.ToLowerInvariant());
        }
        for (var level = 0; level <= LocalRecipientDirectory.MaxAliasDepth + 1 && next.Count > 0 && asked.Count < MaxNames; level++)
        {
            var keys = next.Where(asked.Add).Take(MaxNames).ToList();
            next = new HashSet<string>(StringComparer.Ordinal);
            if (keys.Count == 0)
            {
                break;
            }
            var found = await table.FindAsync(keys, cancellationToken);
            if (found.Count == 0)
            {
                continue;
            }
            foreach (var (key, value) in found)
            {
                rows[key] = value;
            }
            // Parse the new rows only to learn the names they lead to; the result is parsed once more below.
            var level0 = AliasesFile.FromRows(found, table.Name, options.AllowPipeAliases, options.AllowFileAliases);
            foreach (var entry in level0.Entries.Values)
            {
                foreach (var value in entry.Values)
                {
                    AddTargets(next, directory, value, options, includeDepth: 0);
                }
            }
        }
        var aliases = AliasesFile.FromRows(rows, table.Name, options.AllowPipeAliases, options.AllowFileAliases);
        return new LocalRecipientDirectory(options, aliases);
    }

    private static void AddTargets(HashSet<string> next, LocalRecipientDirectory directory, AliasValue value, LocalDeliveryOptions options, int includeDepth)
    {
        switch (value.Kind)
        {
            case AliasValueKind.Local when !value.NoAlias:
                AddName(next, value.Text);
                break;
            case AliasValueKind.Address:
                var at = value.Text.LastIndexOf('@');
                if (directory.IsLocalDomain(value.Text[(at + 1)..]))
                {
                    AddName(next, value.Text[..at].ToLowerInvariant());
                }
                break;
            case AliasValueKind.Include when includeDepth < 2:
                List<AliasValue> included;
                try
                {
                    included = AliasesFile.LoadInclude(value.Text, options.AllowPipeAliases, options.AllowFileAliases);
                }
                catch (Exception e) when (e is AliasesParseException or IOException or UnauthorizedAccessException)
                {
                    // The expander reads it again and reports the problem as it always has.
                    return;
                }
                foreach (var inner in included)
                {
                    AddTargets(next, directory, inner, options, includeDepth + 1);
                }
                break;
        }
    }

    private static void AddName(HashSet<string> names, string name)
    {
        names.Add(name);
        if (LocalRecipientDirectory.StripDetail(name) is { } baseName)
        {
            names.Add(baseName);
        }
    }
}
