namespace Postern.Pki.Acme.Issuance;

/// <summary>The challenge types' names on the wire and in acme.challenge.</summary>
public static class AcmeChallengeNames
{
    public static string Wire(AcmeChallengeType type) => type switch
    {
        AcmeChallengeType.Http01 => "http-01",
        AcmeChallengeType.TlsAlpn01 => "tls-alpn-01",
        AcmeChallengeType.Dns01 => "dns-01",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
