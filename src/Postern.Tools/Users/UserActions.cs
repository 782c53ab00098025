using System.Security.Cryptography;
using Postern.Config;
using Postern.Core.Auth;
using Postern.Database;
using Postern.Pki.Certificates;
using Postern.Policy.Users;
using Postern.Tools.Cert;

namespace Postern.Tools.Users;

/// <summary>
/// The <c>postern user</c> actions on the users file: each reads it under the lock, changes one
/// user, and writes it back atomically. Output never shows a secret.
/// </summary>
public static class UserActions
{
    private const string Prefix = "postern: user: ";

    public static int Add(UserCommandContext context, string name, bool passwordEquivalent) =>
        Edit(context, name, users =>
        {
            if (Find(users, name) >= 0)
            {
                context.Error.WriteLine($"{Prefix}{name} already exists (use `postern user passwd {name}`)");
                return ExitCodes.DataError;
            }
            if (Credentials(context, new UserRecord(name), passwordEquivalent) is not { } user)
            {
                return ExitCodes.DataError;
            }
            users.Add(user);
            context.Output.WriteLine($"added {name}");
            return null;
        });

    /// <summary>New password; <paramref name="passwordEquivalent"/> true/false stores/drops the CRAM-MD5 secret, null keeps what the user had.</summary>
    public static int Passwd(UserCommandContext context, string name, bool? passwordEquivalent) =>
        Edit(context, name, users =>
        {
            var index = FindOrComplain(context, users, name);
            if (index < 0)
            {
                return ExitCodes.NoUser;
            }
            var keep = passwordEquivalent ?? users[index].PasswordEquivalent is not null;
            if (Credentials(context, users[index], keep) is not { } user)
            {
                return ExitCodes.DataError;
            }
            users[index] = user;
            context.Output.WriteLine($"changed the password of {user.Name}");
            return null;
        });

    public static int Delete(UserCommandContext context, string name) =>
        Edit(context, name, users =>
        {
            var index = FindOrComplain(context, users, name);
            if (index < 0)
            {
                return ExitCodes.NoUser;
            }
            context.Output.WriteLine($"deleted {users[index].Name}");
            users.RemoveAt(index);
            return null;
        });

    public static int List(UserCommandContext context)
    {
        if (Load(context) is not { } users)
        {
            return ExitCodes.DataError;
        }
        foreach (var user in users)
        {
            context.Output.WriteLine(user.Name + "\t" + string.Join(' ', Kinds(user)));
        }
        return ExitCodes.Ok;
    }

    public static int Show(UserCommandContext context, string name)
    {
        if (Load(context) is not { } users)
        {
            return ExitCodes.DataError;
        }
        var index = FindOrComplain(context, users, name);
        if (index < 0)
        {
            return ExitCodes.NoUser;
        }
        var user = users[index];
        var output = context.Output;
        output.WriteLine($"user:                {user.Name}");
        output.WriteLine($"status:              {(user.Disabled ? "disabled" : "enabled")}");
        output.WriteLine($"password:            {(user.PasswordHash is { } hash ? $"pbkdf2-sha256, {PasswordHash.IterationsOf(hash)} iterations (PLAIN, LOGIN)" : "none")}");
        output.WriteLine($"scram-sha-1:         {(user.ScramSha1 is { } sha1 ? $"{sha1.Iterations} iterations (SCRAM-SHA-1, SCRAM-SHA-1-PLUS)" : "none")}");
        output.WriteLine($"scram-sha-256:       {(user.ScramSha256 is { } sha256 ? $"{sha256.Iterations} iterations (SCRAM-SHA-256, SCRAM-SHA-256-PLUS)" : "none")}");
        output.WriteLine($"password-equivalent: {(user.PasswordEquivalent is null ? "none" : "stored (CRAM-MD5, DIGEST-MD5)")}");
        output.WriteLine($"certificates:        {(user.CertificateFingerprints.Count == 0 ? "none" : string.Join(' ', user.CertificateFingerprints.Select(f => "sha256:" + f)))}");
        return ExitCodes.Ok;
    }

    public static int BindCertificate(UserCommandContext context, string name, string certificateFile)
    {
        if (FingerprintOf(context, certificateFile, "not a readable certificate") is not { } fingerprint)
        {
            return ExitCodes.DataError;
        }
        return Edit(context, name, users =>
        {
            var index = FindOrComplain(context, users, name);
            if (index < 0)
            {
                return ExitCodes.NoUser;
            }
            // EXTERNAL maps a certificate to one identity; two owners would make it ambiguous.
            if (users.FirstOrDefault(u => u.CertificateFingerprints.Contains(fingerprint)) is { } owner && !ReferenceEquals(owner, users[index]))
            {
                context.Error.WriteLine($"{Prefix}the certificate sha256:{fingerprint} is already bound to {owner.Name}");
                return ExitCodes.DataError;
            }
            if (!users[index].CertificateFingerprints.Contains(fingerprint))
            {
                users[index] = users[index] with { CertificateFingerprints = [.. users[index].CertificateFingerprints, fingerprint] };
            }
            context.Output.WriteLine($"bound sha256:{fingerprint} to {users[index].Name}");
            return null;
        });
    }

    /// <summary>The SHA-256 fingerprint (lower-case hex) of the certificate in <paramref name="file"/>, or null after saying why.</summary>
    private static string? FingerprintOf(UserCommandContext context, string file, string problem)
    {
        try
        {
            using var certificate = CertificateFile.LoadFirst(file);
            return CertificateFingerprint.Sha256(certificate).ToLowerInvariant();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            context.Error.WriteLine($"{Prefix}{file}: {problem}: {e.Message}");
            return null;
        }
    }

    /// <summary>Unbinds <paramref name="certificate"/> (a file, or a SHA-256 fingerprint in hex, optionally <c>sha256:</c>), or every binding when null.</summary>
    public static int UnbindCertificate(UserCommandContext context, string name, string? certificate)
    {
        string? fingerprint = null;
        if (certificate is not null)
        {
            var hex = certificate.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? certificate[7..] : certificate;
            hex = hex.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
            if (UserFile.IsFingerprint(hex))
            {
                fingerprint = hex;
            }
            else if ((fingerprint = FingerprintOf(context, certificate, "neither a SHA-256 fingerprint nor a readable certificate")) is null)
            {
                return ExitCodes.DataError;
            }
        }
        return Edit(context, name, users =>
        {
            var index = FindOrComplain(context, users, name);
            if (index < 0)
            {
                return ExitCodes.NoUser;
            }
            var before = users[index].CertificateFingerprints;
            var after = fingerprint is null ? [] : before.Where(f => f != fingerprint).ToList();
            if (after.Count == before.Count)
            {
                context.Error.WriteLine($"{Prefix}{users[index].Name} has no such certificate bound");
                return ExitCodes.NoUser;
            }
            users[index] = users[index] with { CertificateFingerprints = after };
            context.Output.WriteLine($"unbound {before.Count - after.Count} certificate(s) from {users[index].Name}");
            return null;
        });
    }

    /// <summary>The user's kinds of credential, for <c>list</c>.</summary>
    internal static IEnumerable<string> Kinds(UserRecord user)
    {
        if (user.PasswordHash is not null)
        {
            yield return "password";
        }
        if (user.ScramSha1 is not null)
        {
            yield return "scram-sha-1";
        }
        if (user.ScramSha256 is not null)
        {
            yield return "scram-sha-256";
        }
        if (user.PasswordEquivalent is not null)
        {
            yield return "password-equivalent";
        }
        if (user.CertificateFingerprints.Count > 0)
        {
            yield return $"certs={user.CertificateFingerprints.Count}";
        }
        if (user.Disabled)
        {
            yield return "disabled";
        }
    }

    /// <summary>Reads a password and derives every credential from it; null after an error message.</summary>
    private static UserRecord? Credentials(UserCommandContext context, UserRecord user, bool passwordEquivalent)
    {
        if (context.ReadPassword(context.Error) is not { } password)
        {
            return null;
        }
        var prepared = password.Length == 0 ? null : SaslPrep.Prepare(password);
        if (prepared is null or { Length: 0 })
        {
            context.Error.WriteLine($"{Prefix}the password is empty or holds a control, private-use or unassigned character");
            return null;
        }
        var iterations = context.Iterations;
        if (passwordEquivalent)
        {
            context.Error.WriteLine($"{Prefix}warning: storing a password-equivalent secret for CRAM-MD5 and DIGEST-MD5: whoever reads {context.Source} can log in as {user.Name}");
        }
        return user with
        {
            PasswordHash = PasswordHash.Create(prepared, iterations ?? PasswordHash.DefaultIterations),
            ScramSha1 = ScramCredentials.Derive(prepared, HashAlgorithmName.SHA1, iterations: iterations),
            ScramSha256 = ScramCredentials.Derive(prepared, HashAlgorithmName.SHA256, iterations: iterations),
            PasswordEquivalent = passwordEquivalent ? prepared : null,
        };
    }

    /// <summary>Validates the name, locks, loads, applies <paramref name="change"/> (null = write), writes.</summary>
    private static int Edit(UserCommandContext context, string name, Func<List<UserRecord>, int?> change)
    {
        if (!UserNames.IsValid(name))
        {
            context.Error.WriteLine($"{Prefix}invalid user name: 1 to {UserNames.MaxLength} characters without white space, control characters or a leading '#'");
            return ExitCodes.Usage;
        }
        if (context.Table is { } table)
        {
            return EditTable(context, table, change);
        }
        UserFileLock fileLock;
        try
        {
            fileLock = UserFileLock.Acquire(context.UsersFile, context.LockTimeout, context.Time);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"{Prefix}{context.UsersFile}: cannot lock (another `postern user` running?): {e.Message}");
            return ExitCodes.TempFail;
        }
        using (fileLock)
        {
            if (Load(context) is not { } users)
            {
                return ExitCodes.DataError;
            }
            if (change(users) is { } failed)
            {
                return failed;
            }
            try
            {
                UserFile.Write(context.UsersFile, users);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"{Prefix}{context.UsersFile}: cannot write: {e.Message}");
                return ExitCodes.CannotCreate;
            }
            return ExitCodes.Ok;
        }
    }

    /// <summary>The same edit in the users table: one transaction, only changed rows written; every node sees it at once.</summary>
    private static int EditTable(UserCommandContext context, UserTable table, Func<List<UserRecord>, int?> change)
    {
        try
        {
            return table.Edit(change) ?? ExitCodes.Ok;
        }
        catch (DatabaseCommandException e)
        {
            context.Error.WriteLine($"{Prefix}{e.Message}; nothing changed");
            return ExitCodes.TempFail;
        }
    }

    private static List<UserRecord>? Load(UserCommandContext context)
    {
        if (context.Table is { } table)
        {
            try
            {
                return [.. table.ReadAll()];
            }
            catch (DatabaseCommandException e)
            {
                context.Error.WriteLine($"{Prefix}{e.Message}");
                return null;
            }
        }
        try
        {
            return [.. UserFile.Read(context.UsersFile)];
        }
        catch (UserFileException e)
        {
            foreach (var problem in e.Errors)
            {
                context.Error.WriteLine(problem);
            }
            context.Error.WriteLine($"{Prefix}{context.UsersFile} has {e.Errors.Count} error(s); nothing changed");
            return null;
        }
        catch (IOException e)
        {
            context.Error.WriteLine($"{Prefix}{e.Message}");
            return null;
        }
    }

    private static int Find(List<UserRecord> users, string name) =>
        users.FindIndex(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));

    private static int FindOrComplain(UserCommandContext context, List<UserRecord> users, string name)
    {
        var index = Find(users, name);
        if (index < 0)
        {
            context.Error.WriteLine($"{Prefix}no user {name} in {context.Source}");
        }
        return index;
    }
}
