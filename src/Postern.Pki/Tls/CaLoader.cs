using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Tls;

/// <summary>
/// The trust anchors for client certificates: every certificate of <c>ca_file</c> plus every file
/// of <c>ca_path</c> that holds PEM or DER certificates, whatever its name (c_rehash's
/// <c>abcd1234.0</c> links or plain names). Other files are skipped with a warning.
/// </summary>
public static class CaLoader
{
    public static X509Certificate2Collection Load(string? caFile, string? caPath, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var anchors = new X509Certificate2Collection();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (caFile is not null)
        {
            var text = ReadAllText(caFile);
            var certificates = PemBlocks.Certificates(text, caFile);
            if (certificates.Count == 0)
            {
                throw TlsConfigurationException.About(caFile, "ca_file holds no CERTIFICATE block");
            }
            AddAll(anchors, seen, certificates.Select(c => c.Certificate));
        }
        if (caPath is not null)
        {
            if (!Directory.Exists(caPath))
            {
                throw TlsConfigurationException.About(caPath, "ca_path is not a directory");
            }
            foreach (var file in Directory.EnumerateFiles(caPath).Order(StringComparer.Ordinal))
            {
                var certificates = TryReadCertificates(file, out var problem);
                if (certificates.Count == 0)
                {
                    warnings.Add($"{file}: skipped in ca_path: {problem ?? "no certificate in it"}");
                    continue;
                }
                AddAll(anchors, seen, certificates);
            }
        }
        return anchors;
    }

    private static void AddAll(X509Certificate2Collection anchors, HashSet<string> seen, IEnumerable<X509Certificate2> certificates)
    {
        foreach (var certificate in certificates)
        {
            // c_rehash directories often hold the same CA twice (a file and its hash link).
            if (seen.Add(certificate.Thumbprint))
            {
                anchors.Add(certificate);
            }
            else
            {
                certificate.Dispose();
            }
        }
    }

    private static List<X509Certificate2> TryReadCertificates(string file, out string? problem)
    {
        problem = null;
        byte[] data;
        try
        {
            data = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return [];
        }
        if (PemBlocks.LooksLikePem(data))
        {
            try
            {
                return PemBlocks.Certificates(System.Text.Encoding.UTF8.GetString(data), file).Select(c => c.Certificate).ToList();
            }
            catch (TlsConfigurationException e)
            {
                problem = e.Message;
                return [];
            }
        }
        try
        {
            return [X509CertificateLoader.LoadCertificate(data)];
        }
        catch (CryptographicException)
        {
            problem = "neither a PEM nor a DER certificate";
            return [];
        }
    }

    private static string ReadAllText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TlsConfigurationException.About(path, $"cannot read ca_file: {e.Message}", e);
        }
    }
}
