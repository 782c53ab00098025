namespace Postern.Core.Tls;

/// <summary>Whether a listener asks TLS clients for a certificate.</summary>
public enum ClientCertificateMode
{
    /// <summary>Never ask: some mail clients break when asked (sendmail's confTLS_SRV_OPTIONS V).</summary>
    None,

    /// <summary>Ask; a missing or bad certificate is recorded (NO / FAIL), never a failed handshake.</summary>
    Ask,

    /// <summary>Ask, and refuse the session unless the certificate verifies (OK).</summary>
    Require,
}
