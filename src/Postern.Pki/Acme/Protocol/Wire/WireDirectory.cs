namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>The directory object as sent (RFC 8555 7.1.1); checked and turned into <see cref="AcmeDirectory"/>.</summary>
internal sealed class WireDirectory
{
    public string? NewNonce { get; set; }

    public string? NewAccount { get; set; }

    public string? NewOrder { get; set; }

    public string? RevokeCert { get; set; }

    public string? KeyChange { get; set; }

    public string? RenewalInfo { get; set; }

    public WireDirectoryMeta? Meta { get; set; }
}
