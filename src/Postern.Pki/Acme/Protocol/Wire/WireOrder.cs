namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>An order object as sent (RFC 8555 7.1.3).</summary>
internal sealed class WireOrder
{
    public string? Status { get; set; }

    public string? Expires { get; set; }

    public List<WireIdentifier>? Identifiers { get; set; }

    public List<string>? Authorizations { get; set; }

    public string? Finalize { get; set; }

    public string? Certificate { get; set; }

    public WireProblem? Error { get; set; }
}
