using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Authority;

namespace Postern.Tests.Pki.Authority;

public sealed class Pkcs12ExportTests
{
    [Fact]
    public void The_bundle_opens_with_its_password_and_holds_the_key_the_certificate_and_the_CA()
    {
        using var ca = new TestCa();
        var entry = ca.IssueClient().Entry;
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(entry.CertificateFile));
        using var key = PrivateKeys.Load(entry.KeyFile, KeyAlgorithm.EcdsaP256);

        var bundle = Pkcs12Export.Export(certificate, key, [ca.Authority.Certificate], "Joe User's Personal Certificate", "s3cret");

        var loaded = X509CertificateLoader.LoadPkcs12Collection(bundle, "s3cret", X509KeyStorageFlags.EphemeralKeySet);
        try
        {
            Assert.Equal(2, loaded.Count);
            var leaf = Assert.Single(loaded, c => c.HasPrivateKey);
            Assert.Equal(certificate.Thumbprint, leaf.Thumbprint);
            Assert.Single(loaded, c => c.Thumbprint == ca.Authority.Certificate.Thumbprint);
            using var loadedKey = leaf.GetECDsaPrivateKey()!;
            var data = "proof"u8.ToArray();
            using var publicKey = certificate.GetECDsaPublicKey()!;
            Assert.True(publicKey.VerifyData(data, loadedKey.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
        }
        finally
        {
            foreach (var c in loaded)
            {
                c.Dispose();
            }
        }

        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12Collection(bundle, "wrong", X509KeyStorageFlags.EphemeralKeySet));
    }

    [Fact]
    public void The_bundle_uses_AES_256_and_carries_the_friendly_name()
    {
        using var ca = new TestCa();
        var entry = ca.IssueClient().Entry;
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(entry.CertificateFile));
        using var key = PrivateKeys.Load(entry.KeyFile, KeyAlgorithm.EcdsaP256);
        var bundle = Pkcs12Export.Export(certificate, key, [ca.Authority.Certificate], "Joe User's Personal Certificate", "s3cret");

        var info = Pkcs12Info.Decode(bundle, out _, skipCopy: true);
        Assert.True(info.VerifyMac("s3cret"));
        var names = new List<string>();
        foreach (var contents in info.AuthenticatedSafe)
        {
            if (contents.ConfidentialityMode == Pkcs12ConfidentialityMode.Password)
            {
                contents.Decrypt("s3cret");
            }
            foreach (var bag in contents.GetBags())
            {
                foreach (var attribute in bag.Attributes)
                {
                    if (attribute.Oid.Value == "1.2.840.113549.1.9.20")
                    {
                        var reader = new System.Formats.Asn1.AsnReader(attribute.Values[0].RawData, System.Formats.Asn1.AsnEncodingRules.DER);
                        names.Add(reader.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.BMPString));
                    }
                }
            }
        }
        Assert.Equal(["Joe User's Personal Certificate", "Joe User's Personal Certificate"], names);
        // AES-256-CBC's OID is in the encrypted parts; no legacy RC2/3DES (pbeWithSHAAnd3-KeyTripleDES-CBC 1.2.840.113549.1.12.1.3).
        var hex = Convert.ToHexString(bundle);
        Assert.Contains(Convert.ToHexString([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]), hex, StringComparison.Ordinal); // OID 2.16.840.1.101.3.4.1.42
        Assert.DoesNotContain(Convert.ToHexString([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x03]), hex, StringComparison.Ordinal);
    }
}
