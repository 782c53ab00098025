using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Certificates;

/// <summary>Name comparison for matching CRLs to their issuers.</summary>
internal static class DistinguishedNames
{
    /// <summary>Same DER, or the same RFC 4514 text ignoring case (the same name re-encoded, e.g. PrintableString vs UTF8String).</summary>
    public static bool SameName(X500DistinguishedName a, X500DistinguishedName b)
    {
        if (a.RawData.AsSpan().SequenceEqual(b.RawData))
        {
            return true;
        }

        try
        {
            return string.Equals(DistinguishedNameFormatter.ToRfc4514(a), DistinguishedNameFormatter.ToRfc4514(b), StringComparison.OrdinalIgnoreCase);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
