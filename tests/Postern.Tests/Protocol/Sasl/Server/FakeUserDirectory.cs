using Postern.Core.Auth;

namespace Postern.Tests.Protocol.Sasl.Server;

/// <summary>Users in memory; counts lookups and can be made to fail like an unreadable store.</summary>
internal sealed class FakeUserDirectory(params UserRecord[] users) : IUserDirectory
{
    public bool Broken { get; set; }

    public List<string> Lookups { get; } = [];

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        Lookups.Add(name);
        if (Broken)
        {
            throw new IOException("users: cannot read /nonexistent/users");
        }
        return ValueTask.FromResult(users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)));
    }

    public ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken) =>
        ValueTask.FromResult(users.FirstOrDefault(u => u.CertificateFingerprints.Contains(fingerprintSha256)));
}
