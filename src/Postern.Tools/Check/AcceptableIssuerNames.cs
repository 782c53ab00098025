using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Certificates;

namespace Postern.Tools.Check;

/// <summary>
/// .NET hands over the CA names of a CertificateRequest as its own strings (<c>CN=Ca, O=Foo, C=US</c>);
/// the report writes them as every other command writes a DN, in sendmail's form (<c>/C=US/O=Foo/CN=Ca</c>).
/// </summary>
internal static class AcceptableIssuerNames
{
    public static string ToSendmail(string dotnetName)
    {
        try
        {
            // Parsing X500DistinguishedName.Name back gives the RDNs in their encoded order again.
            return DistinguishedNameFormatter.ToSendmail(new X500DistinguishedName(dotnetName));
        }
        catch (CryptographicException)
        {
            // A name .NET cannot parse back is shown as it came.
            return dotnetName;
        }
    }
}
