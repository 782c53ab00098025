namespace Postern.Tools.Check.Domain;

/// <summary>The host's <c>_25._tcp</c> TLSA lookup: Secure, NotFound, Insecure or Failed, the records in presentation form.</summary>
internal sealed record TlsaFacts(string Status, string BaseName, IReadOnlyList<string> Records, int UsableRecords, string? Problem);
