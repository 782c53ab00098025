namespace Postern.Core.Tls;

/// <summary>
/// What a peer certificate proved, with sendmail's {verify} macro names so logs and access-map
/// habits carry over. Only <see cref="Ok"/> may ever grant anything.
/// </summary>
public enum VerifyResult
{
    /// <summary>No TLS on this session.</summary>
    None,

    /// <summary>TLS, but no certificate was asked for.</summary>
    Not,

    /// <summary>Asked for, none given.</summary>
    No,

    /// <summary>Presented but did not verify (see the reason).</summary>
    Fail,

    /// <summary>Chains to a configured CA, within validity, usage allowed (and not revoked).</summary>
    Ok,
}
