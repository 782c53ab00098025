namespace Postern.Pki.Acme;

/// <summary>How the ACME server checks that Postern controls a name (<c>acme.challenge</c>).</summary>
public enum AcmeChallengeType
{
    /// <summary><c>http-01</c> (RFC 8555 8.3): a token at http://NAME/.well-known/acme-challenge/TOKEN on port 80.</summary>
    Http01,

    /// <summary><c>tls-alpn-01</c> (RFC 8737): a self-signed certificate with the acmeIdentifier extension, ALPN acme-tls/1, port 443.</summary>
    TlsAlpn01,

    /// <summary><c>dns-01</c> (RFC 8555 8.4): a TXT record at _acme-challenge.NAME, published by RFC 2136 dynamic update with TSIG.</summary>
    Dns01,
}
