namespace Postern.Pki.Authority;

/// <summary>What an issued certificate is for: a server (serverAuth, host names) or a client (clientAuth, a person or a relaying host).</summary>
public enum CertificateKind
{
    Server,
    Client,
}
