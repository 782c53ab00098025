namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>A subproblem (RFC 8555 6.7.1): a problem about one identifier.</summary>
internal sealed class WireSubproblem
{
    public string? Type { get; set; }

    public string? Detail { get; set; }

    public WireIdentifier? Identifier { get; set; }
}
