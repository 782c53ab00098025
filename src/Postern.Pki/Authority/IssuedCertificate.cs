namespace Postern.Pki.Authority;

/// <summary>The result of issuing: the index entry, and whether the validity was cut to the CA's end.</summary>
public sealed record IssuedCertificate(CaIndexEntry Entry, bool ShortenedToCaExpiry);
