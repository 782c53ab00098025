namespace Postern.Delivery.Dane;

/// <summary>The result of looking up <c>_port._tcp.host</c> TLSA records.</summary>
/// <param name="Status">What the lookup found.</param>
/// <param name="Records">The records when <see cref="TlsaLookupStatus.Secure"/>; empty otherwise.</param>
/// <param name="BaseName">The TLSA base domain used (the host, or its validated CNAME target, RFC 7672 2.2.3).</param>
/// <param name="Problem">Why it failed, for the log and the deferral reply; null otherwise.</param>
public sealed record TlsaLookup(TlsaLookupStatus Status, IReadOnlyList<TlsaAssociation> Records, string BaseName, string? Problem = null);
