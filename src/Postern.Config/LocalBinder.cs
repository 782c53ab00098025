using Postern.Delivery.Local;

namespace Postern.Config;

/// <summary>Binds <c>[local]</c>: local domains (sendmail's class w), users, Maildirs and aliases.</summary>
internal static class LocalBinder
{
    public const string DefaultMailboxDirectory = "mailboxes";

    public static LocalDeliveryOptions Bind(ConfigSection? section, string hostName, string dataDirectory, ConfigurationInputs inputs)
    {
        var defaults = new LocalDeliveryOptions
        {
            // Like sendmail's class w: the host's own name and localhost.
            Domains = hostName.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? ["localhost"] : [hostName.ToLowerInvariant(), "localhost"],
            Users = [],
            MailboxRoot = ConfigPaths.Resolve(DefaultMailboxDirectory, dataDirectory),
        };
        if (section is null)
        {
            return defaults;
        }

        var options = defaults with
        {
            Domains = ReadDomains(section) ?? defaults.Domains,
            Users = ReadUsers(section) ?? defaults.Users,
            MailboxRoot = ConfigPaths.Read(section, "mailbox_root", dataDirectory) ?? defaults.MailboxRoot,
            Aliases = MapReferenceSyntax.Read(section, "aliases", dataDirectory, fileMustExist: false, inputs),
            AllowPipeAliases = section.GetBoolean("allow_pipe_aliases") ?? false,
            AllowFileAliases = section.GetBoolean("allow_file_aliases") ?? false,
            PostmasterUser = ReadUser(section, "postmaster") ?? defaults.PostmasterUser,
            Transport = TransportSyntax.Read(section, "transport"),
        };
        section.ReportUnknownKeys();
        return options;
    }

    private static List<string>? ReadDomains(ConfigSection section)
    {
        const string Key = "domains";
        var domains = section.GetStringArray(Key);
        if (domains is null)
        {
            return null;
        }
        if (domains.Count == 0)
        {
            section.Error(Key, "must list at least one domain");
            return null;
        }
        var valid = true;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in domains)
        {
            if (!HostNameSyntax.IsValid(domain))
            {
                section.Error(Key, $"must be domain names (letters, digits, inner hyphens, dot-separated), got {ConfigValueText.Quote(domain)}");
                valid = false;
            }
            else if (!seen.Add(domain))
            {
                section.Error(Key, $"lists {ConfigValueText.Quote(domain)} twice");
                valid = false;
            }
        }
        return valid ? [.. domains.Select(d => d.ToLowerInvariant())] : null;
    }

    private static List<string>? ReadUsers(ConfigSection section)
    {
        const string Key = "users";
        var users = section.GetStringArray(Key);
        if (users is null)
        {
            return null;
        }
        var valid = true;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in users)
        {
            if (!UserNameSyntax.IsValid(user))
            {
                section.Error(Key, $"must be user names of {UserNameSyntax.Description}, got {ConfigValueText.Quote(user)}");
                valid = false;
            }
            else if (!seen.Add(user))
            {
                section.Error(Key, $"lists {ConfigValueText.Quote(user)} twice");
                valid = false;
            }
        }
        return valid ? [.. users] : null;
    }

    private static string? ReadUser(ConfigSection section, string key)
    {
        var user = section.GetString(key);
        if (user is not null && !UserNameSyntax.IsValid(user))
        {
            section.Error(key, $"must be a user name of {UserNameSyntax.Description}, got {ConfigValueText.Quote(user)}");
            return null;
        }
        return user;
    }
}
