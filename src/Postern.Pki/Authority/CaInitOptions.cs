namespace Postern.Pki.Authority;

/// <summary>What <c>postern cert ca init</c> asks for.</summary>
/// <param name="Directory">The CA directory; must not hold a CA yet.</param>
/// <param name="CommonName">The CA's CN, e.g. "Joe's Certificate Authority": never a host name.</param>
/// <param name="SubjectPrefix">Attributes before the CN in openssl's <c>/C=US/O=Foo Enterprises</c> form; issued certificates inherit them.</param>
/// <param name="Key">The CA's key type.</param>
/// <param name="Days">Validity in days.</param>
public sealed record CaInitOptions(string Directory, string CommonName, string? SubjectPrefix, KeyAlgorithm Key, int Days)
{
    public const int DefaultDays = 3650;
}
