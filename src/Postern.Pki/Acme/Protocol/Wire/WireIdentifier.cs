namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>An identifier object (RFC 8555 9.7.7): type "dns" and the name.</summary>
internal sealed class WireIdentifier
{
    public string? Type { get; set; }

    public string? Value { get; set; }
}
