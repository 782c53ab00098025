namespace Postern.Policy.Access;

/// <summary>The tag before a key (<c>Connect:</c>, <c>CERTISSUER:</c>...); tag names are case-insensitive.</summary>
public enum AccessTag
{
    /// <summary>An untagged key: IP prefix, domain, <c>user@domain</c>, <c>user@</c>, <c>&lt;&gt;</c>.</summary>
    None,
    Connect,
    From,
    To,
    CertIssuer,
    CertSubject,

    /// <summary>Postern extension: <c>CERTFP:sha256:&lt;hex&gt;</c>, the certificate's SHA-256 fingerprint.</summary>
    CertFp,

    /// <summary>Postern extension: <c>CERTSPKI:sha256:&lt;hex&gt;</c>, the SHA-256 of the public key info.</summary>
    CertSpki,

    /// <summary>Postern extension: <c>CERTSAN:&lt;dns-name-or-email&gt;</c>.</summary>
    CertSan,

    /// <summary><c>TLS_Clt:</c>, kept with its raw value (VERIFY, ENCR:bits...).</summary>
    TlsClt,

    /// <summary><c>ClientRate:</c>: new connections per client per minute (sendmail's FEATURE(ratecontrol)); keyed like TLS_Clt.</summary>
    ClientRate,

    /// <summary><c>ClientConn:</c>: concurrent connections per client (FEATURE(conncontrol)); keyed like TLS_Clt.</summary>
    ClientConn,

    /// <summary><c>GreetPause:</c>: milliseconds before the greeting (FEATURE(greet_pause)); keyed like TLS_Clt.</summary>
    GreetPause,

    /// <summary>Any other sendmail tag (Srv_Features, TLS_Srv, Try_TLS...): loaded, kept, unused.</summary>
    Other,
}
