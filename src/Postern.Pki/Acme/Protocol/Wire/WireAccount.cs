namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>An account object as sent (RFC 8555 7.1.2).</summary>
internal sealed class WireAccount
{
    public string? Status { get; set; }

    public List<string>? Contact { get; set; }
}
