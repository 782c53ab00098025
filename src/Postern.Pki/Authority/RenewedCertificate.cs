namespace Postern.Pki.Authority;

/// <summary>The result of a renewal: the entry replaced, the new one, and whether the key was kept.</summary>
public sealed record RenewedCertificate(CaIndexEntry Previous, CaIndexEntry Current, bool KeyKept, bool ShortenedToCaExpiry);
