namespace Postern.Core.Tls;

/// <summary>Why a certificate got <see cref="VerifyResult.Fail"/>.</summary>
public enum VerifyFailure
{
    None,
    Untrusted,
    Expired,
    NotYetValid,
    BadUsage,
    Revoked,
    HostNameMismatch,
    Invalid,
}
