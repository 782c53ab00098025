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

    /// <summary>Any other sendmail tag (GreetPause, ClientRate, Srv_Features, TLS_Srv...): loaded, kept, unused.</summary>
    Other,
}
