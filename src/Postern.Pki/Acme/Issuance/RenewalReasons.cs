namespace Postern.Pki.Acme.Issuance;

/// <summary>Why a renewal is due when it is: the words state.json, the log and <c>cert acme status</c> use.</summary>
public static class RenewalReasons
{
    /// <summary>No live certificate of this key type yet.</summary>
    public const string Missing = "missing";

    /// <summary>The live certificate does not name every domain of acme.domains.</summary>
    public const string DomainsChanged = "domains_changed";

    /// <summary>A random time in the server's ARI window (RFC 9773).</summary>
    public const string Ari = "ari";

    /// <summary>notAfter less acme.renew_before (default a third of the lifetime), less the jitter.</summary>
    public const string RenewBefore = "renew_before";

    /// <summary>A failed attempt's backoff (or the server's Retry-After).</summary>
    public const string Retry = "retry";
}
