namespace Postern.Filters.Authentication.Dkim;

/// <summary>The result of verifying one DKIM signature, as Authentication-Results writes it (RFC 8601 section 2.7.1).</summary>
public enum DkimResult
{
    Pass,
    Fail,
    Neutral,
    TempError,
    PermError,
}
