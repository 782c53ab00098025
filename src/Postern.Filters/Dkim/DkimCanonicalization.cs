namespace Postern.Filters.Dkim;

/// <summary>RFC 6376 section 3.4: simple keeps the bytes; relaxed tolerates whitespace and header case changes.</summary>
public enum DkimCanonicalization
{
    Relaxed,
    Simple,
}
