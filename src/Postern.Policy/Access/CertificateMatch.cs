namespace Postern.Policy.Access;

/// <summary>The access-map entry a verified certificate matched and why (for the log and Received header).</summary>
public sealed record CertificateMatch(AccessEntry Entry, string Reason);
