using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Acme.Protocol;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// Checks a downloaded chain before it becomes live: it parses, its leaf (the first certificate)
/// names every configured domain and certifies the key the order was finalized with. A chain that
/// fails is an <see cref="AcmeException"/> and the current certificate stays.
/// </summary>
internal static class IssuedChain
{
    public static AcmeCertificate Check(AcmeKeyTypes keyType, string chainPem, AsymmetricAlgorithm key, IReadOnlyList<string> domains)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(chainPem);
        }
        catch (CryptographicException e)
        {
            throw new AcmeException($"the issued chain does not parse: {e.Message}", e);
        }
        if (certificates.Count == 0)
        {
            throw new AcmeException("the server sent no certificate in the chain");
        }
        try
        {
            var leaf = certificates[0];
            if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                throw new AcmeException("the issued certificate is not for the key of the request (the chain's first certificate must be the leaf)");
            }
            var issued = AcmeCertificate.From(keyType, leaf);
            var missing = domains.Where(d => !issued.Domains.Contains(d, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
            {
                throw new AcmeException($"the issued certificate does not name {string.Join(", ", missing)}");
            }
            return issued;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
