namespace Postern.Core.Auth;

/// <summary>What a SCRAM server stores (RFC 5802 section 3): never the password, only keys derived from it.</summary>
public sealed record ScramCredential(byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey);
