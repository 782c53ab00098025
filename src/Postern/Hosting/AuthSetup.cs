using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Policy.Access;
using Postern.Policy.Users;
using Postern.Protocol.Sasl.Server;

namespace Postern.Hosting;

/// <summary>
/// Builds what SMTP AUTH needs: the users file (reloaded on change) or table as the user directory, the
/// server mechanisms keyed by the persistent server secret, and the certificate-to-identity map
/// EXTERNAL uses (bound users, then CERTSUBJECT:/CERTFP:/CERTSPKI: access entries).
/// </summary>
internal static class AuthSetup
{
    public const string SecretFileName = "sasl-secret";

    /// <summary>The users file: <c>auth.users_file</c>, else <c>users</c> in the data directory.</summary>
    public static string UsersFile(PosternConfiguration configuration) =>
        UsersFilePath.Of(configuration);

    /// <summary>
    /// The secret that keys SCRAM's fake salts for unknown users (<c>DATA_DIR/sasl-secret</c>), or
    /// null after writing to <paramref name="errors"/> why it could not be read or created.
    /// </summary>
    public static byte[]? TryLoadSecret(string dataDirectory, TextWriter errors)
    {
        var secretPath = Path.Combine(dataDirectory, SecretFileName);
        try
        {
            Directory.CreateDirectory(dataDirectory);
            return ServerSecretFile.LoadOrCreate(secretPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{secretPath}: cannot read or create the SASL server secret: {e.Message}");
            return null;
        }
    }

    public static AuthBackend CreateBackend(PosternConfiguration configuration, byte[] secret, Reloadable<AccessMap> accessMap, MapTables maps, ILoggerFactory loggers) =>
        CreateBackend(configuration, secret, accessMap, maps, sources: null, loggers);

    /// <summary>
    /// The backend with the users from their file or their table (<paramref name="sources"/>), and
    /// the access map as <paramref name="maps"/> gives it (its file, or its table for EXTERNAL's identities).
    /// </summary>
    public static AuthBackend CreateBackend(PosternConfiguration configuration, byte[] secret, Reloadable<AccessMap> accessMap, MapTables maps, MapSources? sources, ILoggerFactory loggers)
    {
        // auth.users_file = "pgsql:NAME": the table every node shares; else the file, reloaded on change.
        var users = configuration.Server.Auth.UsersTable is { } table
            ? sources?.Users(table) ?? throw new MapSetupException($"auth.users_file = \"pgsql:{table}\" needs the [database] connection, and this process opened none")
            : new UserStore(UsersFile(configuration), loggers.CreateLogger<UserStore>());
        var mechanisms = new SaslServerMechanisms(new SaslServerSettings(secret));
        return new AuthBackend(mechanisms.All, users)
        {
            CertificateIdentities = new CertificateIdentityMapper(users, maps.Access(accessMap)),
        };
    }
}
