using Postern.Core.Tls;
using Postern.Delivery.Routing;

namespace Postern.Config;

/// <summary>
/// Binds a <c>[[route]]</c>'s own identity: <c>client_cert</c>/<c>client_key</c> (the certificate
/// presented to its next hop) and <c>auth_user</c>/<c>auth_password_file</c> (its AUTH credential).
/// </summary>
internal static class RouteIdentityBinder
{
    private const string CertificateKey = "client_cert";
    private const string KeyKey = "client_key";
    private const string UserKey = "auth_user";
    private const string PasswordKey = "auth_password_file";

    /// <summary>Reads the keys; returns how to give a route built from the same entry its identity.</summary>
    public static Func<RelayRoute, RelayRoute> Read(ConfigSection entry, string dataDirectory, ConfigurationInputs inputs)
    {
        var certificate = DeliveryBinder.DaemonFile(entry, CertificateKey, dataDirectory, inputs);
        var key = DeliveryBinder.DaemonFile(entry, KeyKey, dataDirectory, inputs);
        if (entry.Contains(KeyKey) && !entry.Contains(CertificateKey))
        {
            entry.Error(KeyKey, $"is set without {CertificateKey}: a key is only used with its certificate; set {CertificateKey}, or remove {KeyKey}");
        }
        var user = ReadUser(entry);
        var passwordFile = DeliveryBinder.DaemonFile(entry, PasswordKey, dataDirectory, inputs);
        if (entry.Contains(UserKey) != entry.Contains(PasswordKey))
        {
            var (given, missing) = entry.Contains(UserKey) ? (UserKey, PasswordKey) : (PasswordKey, UserKey);
            entry.Error(given, $"is set without {missing}: a route's AUTH credential needs both (the password in a file of mode 0600)");
        }
        var clientCertificate = certificate is null ? null : new CertificateFiles(certificate, key);
        return route => route with
        {
            ClientCertificate = clientCertificate,
            AuthUser = passwordFile is null ? null : user,
            AuthPasswordFile = user is null ? null : passwordFile,
        };
    }

    private static string? ReadUser(ConfigSection entry)
    {
        var user = entry.GetString(UserKey);
        if (user is not null && (user.Length == 0 || user.Any(char.IsControl)))
        {
            entry.Error(UserKey, $"must be a non-empty user name without control characters, got {ConfigValueText.Describe(user)}");
            return null;
        }
        return user;
    }
}
