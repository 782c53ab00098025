using Postern.Core.Auth;
using Postern.Policy.Access;
using Postern.Policy.Auth;

namespace Postern.Config.Lint;

/// <summary>
/// Certificate identities and the sender login map: with a map, a client that authenticated with
/// AUTH EXTERNAL may send only as the senders its identity owns there, so an identity the map does
/// not name (a DN with a space, cut in two when written unquoted) is refused for every sender.
/// </summary>
internal static class SenderLoginLint
{
    private const string Area = "auth";

    private const string HowToWrite = "write a DN with spaces in double quotes, or with +20 for each space as in the access map";

    public static IEnumerable<ConfigWarning> Check(PosternConfiguration configuration, AccessMap accessMap, SenderLoginMap logins, IReadOnlyList<UserRecord> users)
    {
        if (configuration.Server.Auth.SenderLoginMapFile is not { } file)
        {
            yield break;
        }
        var external = configuration.Server.Auth.Mechanisms.Contains("EXTERNAL", StringComparer.Ordinal);
        var subjects = accessMap.Entries
            .Where(e => e.Tag == AccessTag.CertSubject && e.Action is AccessAction.Relay or AccessAction.Ok)
            .ToList();
        if (external)
        {
            foreach (var user in users.Where(u => !u.Disabled && u.CertificateFingerprints.Count > 0 && !logins.NamesOwner(u.Name)))
            {
                yield return new(Area, $"user {user.Name} has a bound certificate (AUTH EXTERNAL) but owns no sender in {file}: after EXTERNAL every MAIL FROM is refused");
            }
            foreach (var entry in subjects.Where(e => !logins.NamesOwner(e.Key)))
            {
                yield return new(Area, $"{accessMap.Where(entry)}: CERTSUBJECT:{SendmailDnCodec.Encode(entry.Key)} authenticates (AUTH EXTERNAL) as \"{entry.Key}\", which owns no sender in {file}: every MAIL FROM after EXTERNAL is refused; {HowToWrite}");
            }
        }
        // A DN-looking owner no certificate can produce: most often a DN cut at its first space.
        var identifiesByFingerprint = accessMap.Entries.Any(e => e.Tag is AccessTag.CertFp or AccessTag.CertSpki && e.Action is AccessAction.Relay or AccessAction.Ok);
        if (identifiesByFingerprint)
        {
            yield break;
        }
        var known = subjects.Select(e => e.Key).Concat(users.Select(u => u.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (sender, owners) in logins.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (var owner in owners.Where(o => o.StartsWith('/') && !known.Contains(o)))
            {
                yield return new(Area, $"{file}: {sender}: owner \"{owner}\" is no certificate identity the access map names (CERTSUBJECT: with RELAY or OK) nor a user, so it can never match; {HowToWrite}");
            }
        }
    }
}
