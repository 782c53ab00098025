namespace Postern.Core.Tls;

/// <summary>The verify result, why it failed, and the facts of the certificate when there was one.</summary>
public sealed record CertificateVerification(VerifyResult Result, VerifyFailure Failure, string? Reason, CertificateFacts? Certificate)
{
    public static CertificateVerification NoTls { get; } = new(VerifyResult.None, VerifyFailure.None, null, null);

    public static CertificateVerification NotAsked { get; } = new(VerifyResult.Not, VerifyFailure.None, null, null);

    public static CertificateVerification NoneGiven { get; } = new(VerifyResult.No, VerifyFailure.None, null, null);

    public bool IsOk => Result == VerifyResult.Ok;

    /// <summary>The sendmail word: OK, NO, NOT, FAIL, NONE.</summary>
    public string Word => Result.ToString().ToUpperInvariant();
}
