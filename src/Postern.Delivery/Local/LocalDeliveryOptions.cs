namespace Postern.Delivery.Local;

/// <summary>Local domains, users, aliases and where their Maildirs are.</summary>
public sealed record LocalDeliveryOptions
{
    /// <summary>Domains delivered here (sendmail's class w); case-insensitive.</summary>
    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary>Local user names that have a Maildir under <see cref="MailboxRoot"/>.</summary>
    public required IReadOnlyList<string> Users { get; init; }

    /// <summary>Maildirs live at MailboxRoot/USER/{tmp,new,cur}.</summary>
    public required string MailboxRoot { get; init; }

    /// <summary>A sendmail-format aliases file, or null for none (or when <see cref="Aliases"/> is a table).</summary>
    public string? AliasesFile
    {
        get => Aliases is { IsDatabase: false } file ? file.FilePath : null;
        init => Aliases = value is null ? null : Core.Maps.MapReference.File(value);
    }

    /// <summary>The aliases as configured: a file (<see cref="AliasesFile"/>) or <c>pgsql:TABLE</c>; null for none.</summary>
    public Core.Maps.MapReference? Aliases { get; init; }

    /// <summary>Allow <c>"|command"</c> aliases; refused at load otherwise.</summary>
    public bool AllowPipeAliases { get; init; }

    /// <summary>Allow <c>/path/file</c> aliases; refused at load otherwise.</summary>
    public bool AllowFileAliases { get; init; }

    /// <summary>Where postmaster goes when the aliases file does not say (RFC 5321 requires postmaster).</summary>
    public string PostmasterUser { get; init; } = "postmaster";

    /// <summary>How long a <c>"|command"</c> alias may run before it is killed and the delivery deferred.</summary>
    public TimeSpan PipeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where local users' mail goes instead of Maildirs under <see cref="MailboxRoot"/>, as configured
    /// (<c>lmtp:unix:/run/dovecot/lmtp</c>, <c>lmtp:[127.0.0.1]:24</c>); null: Postern writes the Maildirs itself.
    /// Aliases are expanded first either way.
    /// </summary>
    public string? Transport { get; init; }
}
