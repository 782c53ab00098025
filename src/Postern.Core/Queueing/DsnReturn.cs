namespace Postern.Core.Queueing;

/// <summary>The MAIL RET= parameter (RFC 3461).</summary>
public enum DsnReturn
{
    Unspecified,
    Full,
    Headers,
}
