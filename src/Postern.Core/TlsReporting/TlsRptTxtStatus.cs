namespace Postern.Core.TlsReporting;

/// <summary>How the <c>_smtp._tls</c> TXT lookup ended.</summary>
public enum TlsRptTxtStatus
{
    /// <summary>The name has TXT records (which may or may not be TLS-RPT records).</summary>
    Found,

    /// <summary>NXDOMAIN or no TXT records: the domain takes no reports.</summary>
    NotFound,

    /// <summary>SERVFAIL, a timeout or a transport error: ask again later.</summary>
    Failed,
}
