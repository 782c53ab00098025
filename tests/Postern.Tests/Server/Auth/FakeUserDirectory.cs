using Postern.Core.Auth;

namespace Postern.Tests.Server.Auth;

/// <summary>Users for AUTH dialog tests: the fake mechanisms keep the password in PasswordHash as is.</summary>
internal sealed class FakeUserDirectory : IUserDirectory
{
    public Dictionary<string, UserRecord> Users { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alice"] = new UserRecord("alice") { PasswordHash = "secret", CertificateFingerprints = ["00"] },
        ["bob"] = new UserRecord("bob") { PasswordHash = "hunter2" },
    };

    public List<string> Lookups { get; } = [];

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        lock (Lookups)
        {
            Lookups.Add(name);
        }
        return ValueTask.FromResult(Users.GetValueOrDefault(name));
    }

    public ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Users.Values.FirstOrDefault(u => u.CertificateFingerprints.Contains(fingerprintSha256)));
}
