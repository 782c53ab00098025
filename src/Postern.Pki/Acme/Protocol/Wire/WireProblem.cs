namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>A problem document as sent (RFC 7807, RFC 8555 6.7).</summary>
internal sealed class WireProblem
{
    public string? Type { get; set; }

    public string? Detail { get; set; }

    public int? Status { get; set; }

    public List<WireSubproblem>? Subproblems { get; set; }
}
