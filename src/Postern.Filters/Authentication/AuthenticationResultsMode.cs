namespace Postern.Filters.Authentication;

/// <summary><c>authentication_results.mode</c>: off, the header only, or the header and the DMARC policy enforced.</summary>
public enum AuthenticationResultsMode
{
    Off,
    On,
    Enforce,
}
