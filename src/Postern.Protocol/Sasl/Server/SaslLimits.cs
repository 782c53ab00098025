namespace Postern.Protocol.Sasl.Server;

/// <summary>Bounds on what a client may send, whatever the SMTP line limit.</summary>
internal static class SaslLimits
{
    /// <summary>One decoded client response; RFC 2831 caps DIGEST-MD5 responses at 4096 bytes too.</summary>
    public const int MaxResponseBytes = 4096;

    /// <summary>An identity (authcid, authzid) in characters; RFC 4616 asks servers to accept 255 octets.</summary>
    public const int MaxIdentityLength = 1024;
}
