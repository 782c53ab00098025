namespace Postern.Policy.Restrictions;

/// <summary>
/// permit_tls_clientcerts: a certificate that verified (verify=OK, never anything else) and an
/// access-map certificate entry (CERTFP, CERTSPKI, CERTSAN, CERTISSUER, CERTSUBJECT via SUBJECT).
/// RELAY or OK there permit relaying; REJECT or ERROR refuse; DISCARD and QUARANTINE act as elsewhere.
/// </summary>
internal sealed class PermitTlsClientCerts : IRestriction
{
    public string Name => "permit_tls_clientcerts";

    public bool AppliesTo(RestrictionStage stage) => true;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        if (context.Session.Tls is not { } tls)
        {
            return RestrictionResult.Dunno("no TLS");
        }
        var peer = tls.Peer;
        if (!peer.IsOk)
        {
            return RestrictionResult.Dunno("verify=" + peer.Word + ": only a certificate that verified is looked up");
        }
        if (context.Map.LookupCertificate(peer) is not { } match)
        {
            return RestrictionResult.Dunno("verify=OK, no certificate entry" + (peer.Certificate is { } facts ? " for issuer " + facts.Issuer : ""));
        }
        var result = AccessEntryResult.From(context.Map, match.Entry, relayMeansRelay: true, okRelays: true);
        return result with { Detail = "verify=OK, " + match.Reason + ": " + match.Entry.Value };
    }
}
