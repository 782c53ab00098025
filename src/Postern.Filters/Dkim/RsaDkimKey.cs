using System.Security.Cryptography;

namespace Postern.Filters.Dkim;

/// <summary>rsa-sha256: RSASSA-PKCS1-v1_5 over SHA-256 (RFC 6376 section 3.3.1). p= is the SubjectPublicKeyInfo, as opendkim-genkey publishes it.</summary>
internal sealed class RsaDkimKey(RSA rsa) : DkimPrivateKey
{
    // One key signs for every session; RSA instances are not documented as safe for concurrent use.
    private readonly Lock _gate = new();

    public override DkimAlgorithm Algorithm => DkimAlgorithm.Rsa;

    public override int Bits => rsa.KeySize;

    public override string PublicKeyBase64 => Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());

    public override byte[] Sign(byte[] data)
    {
        lock (_gate)
        {
            return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }

    public override string ToPem() => rsa.ExportPkcs8PrivateKeyPem() + "\n";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rsa.Dispose();
        }
        base.Dispose(disposing);
    }
}
