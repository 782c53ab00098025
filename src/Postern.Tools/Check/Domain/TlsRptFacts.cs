namespace Postern.Tools.Check.Domain;

/// <summary>The <c>_smtp._tls</c> record (RFC 8460 3): "found", "not-found", "invalid" or "failed", and where reports go.</summary>
internal sealed record TlsRptFacts(string Status, IReadOnlyList<string> Records, IReadOnlyList<string> Destinations, string? Problem);
