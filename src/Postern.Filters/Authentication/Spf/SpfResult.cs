namespace Postern.Filters.Authentication.Spf;

/// <summary>The results of SPF's check_host() (RFC 7208 section 2.6), named as in Authentication-Results.</summary>
public enum SpfResult
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}
