using System.Collections.Frozen;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Delivery.Aliases;

namespace Postern.Delivery.Local;

/// <summary>
/// The local domains, users and aliases, immutable: to reload, build a new one with
/// <see cref="Load"/> and swap it in. Local parts are matched case-insensitively. <c>user+detail</c>
/// reaches <c>user</c> when no user or alias is called <c>user+detail</c> (Postfix's
/// recipient_delimiter = +). <c>postmaster</c> is always known (RFC 5321): it follows a
/// <c>postmaster</c> alias when there is one, else goes to <see cref="LocalDeliveryOptions.PostmasterUser"/>
/// (a user or an alias; when it is neither, a mailbox of that name).
/// </summary>
public sealed class LocalRecipientDirectory : ILocalRecipients
{
    public const int MaxAliasDepth = 16;
    internal const string Postmaster = "postmaster";

    private readonly FrozenSet<string> _domains;
    private readonly FrozenSet<string> _users;

    /// <exception cref="ArgumentException">A user name is not safe as a path component.</exception>
    public LocalRecipientDirectory(LocalDeliveryOptions options, AliasesFile? aliases)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Aliases = aliases;
        _domains = options.Domains.Select(NormalizeDomain).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        PostmasterUser = LocalUserName.Normalize(options.PostmasterUser);
        var users = options.Users.Select(LocalUserName.Normalize);
        // RFC 5321 requires a working postmaster: when local.postmaster names neither a user nor
        // an alias, it is a mailbox of its own rather than a recipient that bounces.
        if (aliases is null || !aliases.TryGet(PostmasterUser, out _))
        {
            users = users.Append(PostmasterUser);
        }
        _users = users.ToFrozenSet(StringComparer.Ordinal);
    }

    public LocalDeliveryOptions Options { get; }

    public AliasesFile? Aliases { get; }

    internal string PostmasterUser { get; }

    internal bool AllowPipes => Options.AllowPipeAliases;

    internal bool AllowFiles => Options.AllowFileAliases;

    /// <summary>Builds a directory from the options, reading <see cref="LocalDeliveryOptions.AliasesFile"/> when set.</summary>
    /// <exception cref="AliasesParseException">The aliases file has errors (each names the file and line).</exception>
    /// <exception cref="IOException">The aliases file could not be read.</exception>
    public static LocalRecipientDirectory Load(LocalDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var aliases = options.AliasesFile is { } path
            ? AliasesFile.Load(path, options.AllowPipeAliases, options.AllowFileAliases)
            : null;
        return new LocalRecipientDirectory(options, aliases);
    }

    /// <summary>True for a configured local domain (case-insensitive, a trailing dot ignored).</summary>
    public bool IsLocalDomain(string domain) => _domains.Contains(NormalizeDomain(domain));

    /// <summary>True for a configured user (a Maildir owner); <paramref name="name"/> must be lowercase.</summary>
    public bool IsUser(string name) => _users.Contains(name);

    public LocalRecipientStatus Lookup(Mailbox mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        if (!IsLocalDomain(mailbox.Domain) || !IsKnownName(mailbox.LocalPart.ToLowerInvariant()))
        {
            return LocalRecipientStatus.Unknown;
        }
        // Expanding reads :include: files, so an unreadable one is a 4xx now rather than a bounce later.
        return Expand(mailbox).Status == ExpansionStatus.TemporaryFailure
            ? LocalRecipientStatus.TemporaryFailure
            : LocalRecipientStatus.Known;
    }

    /// <summary>The final delivery targets of a recipient in a local domain.</summary>
    public AliasExpansion Expand(Mailbox mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var name = mailbox.LocalPart.ToLowerInvariant();
        if (!IsLocalDomain(mailbox.Domain) || !IsKnownName(name))
        {
            return AliasExpansion.Unknown;
        }
        return new AliasExpander(this).Run(name);
    }

    /// <summary><c>user+detail</c> → <c>user</c>; null when there is no non-empty detail-free part.</summary>
    internal static string? StripDetail(string name)
    {
        var plus = name.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? name[..plus] : null;
    }

    private bool IsKnownName(string name) =>
        IsUser(name)
        || (Aliases?.TryGet(name, out _) ?? false)
        || name == Postmaster
        || (StripDetail(name) is { } baseName && IsKnownName(baseName));

    private static string NormalizeDomain(string domain) => domain.TrimEnd('.').ToLowerInvariant();
}
