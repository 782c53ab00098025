namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>A challenge object as sent (RFC 8555 7.1.5, 8).</summary>
internal sealed class WireChallenge
{
    public string? Type { get; set; }

    public string? Url { get; set; }

    public string? Status { get; set; }

    public string? Token { get; set; }

    public WireProblem? Error { get; set; }
}
