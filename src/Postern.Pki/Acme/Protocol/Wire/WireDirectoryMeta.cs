namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>The directory's meta object (RFC 8555 7.1.1): the fields Postern reads.</summary>
internal sealed class WireDirectoryMeta
{
    public string? TermsOfService { get; set; }

    public bool? ExternalAccountRequired { get; set; }
}
