namespace Postern.Tools.Check.Domain;

/// <summary>
/// The MX lookup: <see cref="Status"/> is "ok", "null-mx" (RFC 7505), "permanent-failure" (no such
/// domain, no mail host) or "temporary-failure" (DNS failed: nothing else could be checked).
/// </summary>
internal sealed record MxSetFacts(string Status, string? Problem, IReadOnlyList<MxHostFacts> Hosts);
