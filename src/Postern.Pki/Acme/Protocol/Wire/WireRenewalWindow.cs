namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>ARI's suggestedWindow: RFC 3339 start and end.</summary>
internal sealed class WireRenewalWindow
{
    public string? Start { get; set; }

    public string? End { get; set; }
}
