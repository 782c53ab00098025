namespace Postern.Pki.Authority;

/// <summary>The JSON shape of <c>index.json</c>.</summary>
internal sealed record CaIndexDocument(int Version, IReadOnlyList<CaIndexEntry> Certificates);
