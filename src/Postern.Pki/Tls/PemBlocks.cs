using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Tls;

/// <summary>Walks the PEM blocks of a text, so one file can hold certificates and a key in any order.</summary>
internal static class PemBlocks
{
    public static IEnumerable<(string Label, string Pem)> Enumerate(string text)
    {
        var remaining = text.AsMemory();
        while (PemEncoding.TryFind(remaining.Span, out var fields))
        {
            var label = remaining.Span[fields.Label].ToString();
            var pem = remaining.Span[fields.Location].ToString();
            yield return (label, pem);
            remaining = remaining[fields.Location.End..];
        }
    }

    /// <summary>Every CERTIFICATE block, in file order; a malformed one is an error naming the file.</summary>
    public static IReadOnlyList<(string Pem, X509Certificate2 Certificate)> Certificates(string text, string path)
    {
        var result = new List<(string, X509Certificate2)>();
        foreach (var (label, pem) in Enumerate(text))
        {
            if (label != "CERTIFICATE")
            {
                continue;
            }
            try
            {
                result.Add((pem, X509Certificate2.CreateFromPem(pem)));
            }
            catch (CryptographicException e)
            {
                throw TlsConfigurationException.About(path, $"certificate {result.Count + 1} is malformed: {e.Message}", e);
            }
        }
        return result;
    }

    public static bool LooksLikePem(ReadOnlySpan<byte> data) => data.IndexOf("-----BEGIN "u8) >= 0;
}
