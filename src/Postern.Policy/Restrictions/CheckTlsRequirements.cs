using System.Globalization;
using Postern.Core.Tls;
using Postern.Policy.Access;

namespace Postern.Policy.Restrictions;

/// <summary>
/// check_tls_requirements: sendmail's tls_client with <c>TLS_Clt:</c> entries. A client matching
/// <c>VERIFY</c> must have a certificate that verified, <c>ENCR:bits</c> (or <c>VERIFY:bits</c>) at
/// least that cipher strength; otherwise 403 4.7.0 (503 5.7.0 with PERM+), with sendmail's texts.
/// </summary>
internal sealed class CheckTlsRequirements : IRestriction
{
    public string Name => "check_tls_requirements";

    public bool AppliesTo(RestrictionStage stage) => true;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        var client = context.ClientAddress;
        if (context.Map.LookupTlsClient(client, null) is not { } entry)
        {
            return RestrictionResult.Dunno("no TLS_Clt: entry for " + client);
        }
        var source = context.Map.Where(entry);
        var tls = context.Session.Tls;
        if (!TlsRequirement.TryParse(entry.Value, out var requirement, out var error))
        {
            // The parser refuses such maps; should one get here, fail closed.
            return RestrictionResult.Reject(PolicyReplies.TlsRequirementNotUnderstood, error) with { Source = source };
        }
        var verify = tls?.Peer ?? CertificateVerification.NoTls;
        if (requirement.Verify && !verify.IsOk)
        {
            var text = verify.Result switch
            {
                VerifyResult.Fail => "authentication failed",
                VerifyResult.No => "not authenticated",
                VerifyResult.Not => "no authentication requested",
                VerifyResult.None => "other side does not support STARTTLS",
                _ => "authentication failure " + verify.Word,
            };
            return RestrictionResult.Reject(PolicyReplies.TlsRequirementNotMet(requirement.Permanent, text), entry.Describe() + ": verify=" + verify.Word) with { Source = source };
        }
        var bits = tls?.Bits ?? 0;
        if (bits < requirement.MinimumBits)
        {
            var have = bits.ToString(CultureInfo.InvariantCulture);
            var need = requirement.MinimumBits.ToString(CultureInfo.InvariantCulture);
            return RestrictionResult.Reject(PolicyReplies.TlsRequirementNotMet(requirement.Permanent, "encryption too weak " + have + " less than " + need), entry.Describe() + ": bits=" + have) with { Source = source };
        }
        return RestrictionResult.Dunno(entry.Describe() + ": met (verify=" + verify.Word + ", bits=" + bits.ToString(CultureInfo.InvariantCulture) + ")") with { Source = source };
    }
}
