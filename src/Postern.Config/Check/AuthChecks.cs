using Postern.Policy.Users;
using Postern.Protocol.Sasl.Server;

namespace Postern.Config.Check;

/// <summary>What `postern config check` says about SMTP AUTH: the users file loads, and the risky choices.</summary>
internal static class AuthChecks
{
    /// <summary>The warnings, or null after printing the users file's errors (file:line).</summary>
    public static IReadOnlyList<string>? Run(PosternConfiguration configuration, TextWriter errors) => Run(configuration, errors, out _);

    /// <summary>The warnings and the users read, or null after printing the users file's errors (file:line).</summary>
    public static IReadOnlyList<string>? Run(PosternConfiguration configuration, TextWriter errors, out IReadOnlyList<Core.Auth.UserRecord> users)
    {
        var auth = configuration.Server.Auth;
        var usersFile = auth.UsersTable is { } table ? Core.Maps.MapReference.DatabasePrefix + table : UsersFilePath.Of(configuration);
        users = [];
        try
        {
            // A users table is read by `postern db status`; here only a file is.
            users = auth.UsersTable is null ? UserFile.Read(usersFile) : [];
        }
        catch (UserFileException e)
        {
            foreach (var error in e.Errors)
            {
                errors.WriteLine(error);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{usersFile}: {e.Message}");
            return null;
        }
        var warnings = new List<string>();
        var equivalent = auth.Mechanisms.Where(SaslServerMechanisms.NeedsPasswordEquivalent).ToList();
        if (equivalent.Count > 0)
        {
            warnings.Add($"auth.mechanisms offers {string.Join(" and ", equivalent)}, which need a password-equivalent secret per user in {usersFile}: whoever reads that file can authenticate as every such user; SCRAM-SHA-256 proves the same without it");
        }
        if (!auth.PlaintextRequiresTls && auth.Mechanisms.Any(m => m is "PLAIN" or "LOGIN"))
        {
            warnings.Add("auth.plaintext_requires_tls = false: PLAIN and LOGIN passwords can cross the network in clear text");
        }
        if (equivalent.Count == 0 && users.Any(u => u.PasswordEquivalent is not null))
        {
            warnings.Add($"{usersFile} holds password-equivalent secrets that no offered mechanism uses; drop them with `postern user passwd NAME --no-password-equivalent`");
        }
        if (auth.TrustedMechanisms.Contains("EXTERNAL", StringComparer.Ordinal))
        {
            warnings.Add("EXTERNAL is trusted: a client whose verified certificate is bound to a user, or named by a CERTSUBJECT:/CERTFP:/CERTSPKI: access entry, may relay after AUTH EXTERNAL (unverified certificates never can)");
        }
        return warnings;
    }
}
