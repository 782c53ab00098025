using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Postern.Pki.Certificates;

/// <summary>
/// Reads CRLs (PEM <c>-----BEGIN X509 CRL-----</c>, one or more, or a single DER CRL) into
/// <see cref="RevokedSerials"/>, accepting only CRLs signed by one of the given CA certificates.
/// </summary>
/// <remarks>
/// Any CRL that cannot be trusted is an error, thrown as <see cref="CrlException"/>, never skipped:
/// silently ignoring a CRL would silently accept the certificates it revokes.
/// Signatures: RSA PKCS#1 v1.5 and ECDSA, with SHA-256/384/512.
/// </remarks>
public static class CrlReader
{
    private const string PemLabel = "X509 CRL";
    private const string KeyUsageOid = "2.5.29.15";

    /// <exception cref="CrlException">The file cannot be read or a CRL in it cannot be trusted.</exception>
    public static IReadOnlyList<RevokedSerials> ReadFile(string path, X509Certificate2Collection issuers, DateTimeOffset now)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CrlException($"cannot read CRL file {path}: {e.Message}", e);
        }

        try
        {
            return Read(data, issuers, now);
        }
        catch (CrlException e)
        {
            throw new CrlException($"{path}: {e.Message}", e);
        }
    }

    /// <param name="data">PEM text with one or more CRLs, or one DER CRL.</param>
    /// <param name="issuers">The configured CA certificates; a CRL must be signed by one of them.</param>
    /// <param name="now">A CRL past its nextUpdate at this time is refused.</param>
    /// <exception cref="CrlException">No CRL found, or one of them cannot be trusted.</exception>
    public static IReadOnlyList<RevokedSerials> Read(ReadOnlySpan<byte> data, X509Certificate2Collection issuers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        if (!LooksLikePem(data))
        {
            return [ReadDer(data.ToArray(), issuers, now)];
        }

        var text = Encoding.ASCII.GetString(data).AsSpan();
        var crls = new List<RevokedSerials>();
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual(PemLabel))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(text[fields.Base64Data], der, out var written))
                {
                    throw new CrlException("CRL PEM block is not valid base64");
                }

                crls.Add(ReadDer(der.AsMemory(0, written), issuers, now));
            }

            text = text[fields.Location.End..];
        }

        return crls.Count > 0 ? crls : throw new CrlException("no -----BEGIN X509 CRL----- block found");
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> data) =>
        data.IndexOf("-----BEGIN "u8) >= 0;

    private static RevokedSerials ReadDer(ReadOnlyMemory<byte> der, X509Certificate2Collection issuers, DateTimeOffset now)
    {
        ParsedCrl crl;
        try
        {
            crl = ParsedCrl.Parse(der);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw new CrlException("CRL is not valid DER: " + e.Message, e);
        }

        var issuerText = FormatName(crl.Issuer);
        var candidates = issuers.Where(c => DistinguishedNames.SameName(c.SubjectName, crl.Issuer)).ToList();
        if (candidates.Count == 0)
        {
            throw new CrlException($"CRL issuer {issuerText} is not a configured CA");
        }

        if (!candidates.Any(c => CanSignCrls(c) && crl.VerifySignature(c)))
        {
            throw new CrlException($"CRL signature does not verify with the key of {issuerText}");
        }

        if (crl.NextUpdate is { } next && now > next)
        {
            throw new CrlException($"CRL from {issuerText} is out of date (nextUpdate {next.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)");
        }

        return new RevokedSerials(crl.Issuer, crl.Serials);
    }

    private static bool CanSignCrls(X509Certificate2 issuer) =>
        issuer.Extensions[KeyUsageOid] is not X509KeyUsageExtension usage
        || usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign);

    private static string FormatName(X500DistinguishedName name)
    {
        try
        {
            return DistinguishedNameFormatter.ToSendmail(name);
        }
        catch (CryptographicException)
        {
            return name.Name;
        }
    }
}
