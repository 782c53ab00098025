using Postern.Core.Auth;

namespace Postern.Protocol.Sasl.Server;

/// <summary>What the server mechanisms share across exchanges.</summary>
/// <param name="Secret">
/// A persistent server secret (at least 16 bytes): SCRAM derives the fake salt it shows for unknown
/// users from it, so the answer for a name is the same on every attempt and across restarts, like a
/// real user's.
/// </param>
public sealed record SaslServerSettings(ReadOnlyMemory<byte> Secret)
{
    /// <summary>The PBKDF2 count of the dummy hash verified for unknown users; match the stored hashes' count.</summary>
    public int DummyPasswordIterations { get; init; } = PasswordHash.DefaultIterations;

    /// <summary>The clock behind the CRAM-MD5 challenge's timestamp.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
