using System.Security.Cryptography;
using Postern.Core.Auth;

namespace Postern.Fuzz.Targets;

/// <summary>One user with every kind of credential, at iteration counts cheap enough for fuzzing.</summary>
internal sealed class SaslUsers : IUserDirectory
{
    public const string Name = "alice";

    /// <summary>Also in the seeds, so the fuzzer starts from exchanges that succeed.</summary>
    public const string Password = "Tr0ub4dor&3";

    private const int Iterations = 64;

    private readonly UserRecord _user = new(Name)
    {
        PasswordHash = PasswordHash.Create(Password, Iterations),
        ScramSha1 = ScramCredentials.Derive(Password, HashAlgorithmName.SHA1, "fuzz-salt-sha1.."u8.ToArray(), Iterations),
        ScramSha256 = ScramCredentials.Derive(Password, HashAlgorithmName.SHA256, "fuzz-salt-sha256"u8.ToArray(), Iterations),
        PasswordEquivalent = Password,
    };

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(string.Equals(name, Name, StringComparison.OrdinalIgnoreCase) ? _user : null);

    public ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken) =>
        ValueTask.FromResult<UserRecord?>(null);
}
