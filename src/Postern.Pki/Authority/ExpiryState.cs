namespace Postern.Pki.Authority;

/// <summary>How close a certificate is to its end, for <c>postern cert list</c>.</summary>
public enum ExpiryState
{
    Valid,
    Expiring,
    Expired,
}
