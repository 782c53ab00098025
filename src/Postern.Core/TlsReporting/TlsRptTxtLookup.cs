namespace Postern.Core.TlsReporting;

/// <summary>
/// The answer for <c>_smtp._tls.DOMAIN</c>: each TXT record with its character-strings joined
/// (RFC 8460 section 3: a record may be split into several strings).
/// </summary>
public sealed record TlsRptTxtLookup(TlsRptTxtStatus Status, IReadOnlyList<string> Records, string? Problem = null)
{
    public static TlsRptTxtLookup NotFound { get; } = new(TlsRptTxtStatus.NotFound, []);

    public static TlsRptTxtLookup Failed(string problem) => new(TlsRptTxtStatus.Failed, [], problem);
}
