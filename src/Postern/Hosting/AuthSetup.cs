using Microsoft.Extensions.Logging;
using Postern.Cli;
using Postern.Policy.Users;
using Postern.Protocol.Sasl.Server;

namespace Postern.Hosting;

/// <summary>
/// Builds what SMTP AUTH needs at start: the users file as the user directory (reloaded on change)
/// and the server mechanisms keyed by the persistent server secret. Not yet called by serve: the
/// session's AUTH wiring passes these to the listeners.
/// </summary>
internal static class AuthSetup
{
    public const string SecretFileName = "sasl-secret";

    /// <summary>
    /// The store and mechanisms, or null after writing to <paramref name="errors"/> why the secret
    /// (<c>DATA_DIR/sasl-secret</c>) could not be had. A null <paramref name="usersFile"/> means
    /// <c>DATA_DIR/users</c>.
    /// </summary>
    public static (UserStore Users, SaslServerMechanisms Mechanisms)? TryCreate(string dataDirectory, string? usersFile, ILoggerFactory loggers, TextWriter errors)
    {
        var secretPath = Path.Combine(dataDirectory, SecretFileName);
        byte[] secret;
        try
        {
            Directory.CreateDirectory(dataDirectory);
            secret = ServerSecretFile.LoadOrCreate(secretPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{secretPath}: cannot read or create the SASL server secret: {e.Message}");
            return null;
        }
        var users = new UserStore(UserCommand.ResolveUsersFile(usersFile, dataDirectory), loggers.CreateLogger<UserStore>());
        return (users, new SaslServerMechanisms(new SaslServerSettings(secret)));
    }
}
