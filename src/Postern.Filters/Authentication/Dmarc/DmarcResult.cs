namespace Postern.Filters.Authentication.Dmarc;

/// <summary>DMARC results as Authentication-Results writes them (RFC 7489 section 11.2).</summary>
public enum DmarcResult
{
    None,
    Pass,
    Fail,
    TempError,
    PermError,
}
