namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>An authorization object as sent (RFC 8555 7.1.4).</summary>
internal sealed class WireAuthorization
{
    public WireIdentifier? Identifier { get; set; }

    public string? Status { get; set; }

    public List<WireChallenge>? Challenges { get; set; }

    public bool? Wildcard { get; set; }
}
