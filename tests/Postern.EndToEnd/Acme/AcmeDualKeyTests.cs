using System.Security.Cryptography.X509Certificates;

namespace Postern.EndToEnd.Acme;

/// <summary>
/// <c>key_type = ["ecdsa", "rsa"]</c>: two certificates for the same names, one per key type, and
/// each handshake gets the one its ClientHello can verify: a client that offers only RSA-PSS
/// signatures gets the RSA certificate, any other (openssl's default offers ECDSA) the ECDSA one.
/// </summary>
public sealed class AcmeDualKeyTests
{
    [Fact]
    public async Task Both_key_types_are_issued_and_each_client_gets_the_one_it_can_verify()
    {
        await using var ca = await AcmeTestCa.StartAsync();
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            await using var server = await PosternProcess.StartAsync(AcmePostern.Config(ca, acmeExtra: "key_type = [\"ecdsa\", \"rsa\"]").ToToml(), dataDir, listeners: 2);
            await AcmePostern.WaitForIssuedAsync(server, ca, "ecdsa");
            await AcmePostern.WaitForIssuedAsync(server, ca, "rsa");
            using var ecdsaLeaf = AcmePostern.LiveLeaf(dataDir, "ecdsa");
            using var rsaLeaf = AcmePostern.LiveLeaf(dataDir, "rsa");
            Assert.Equal(2048, rsaLeaf.GetRSAPublicKey()!.KeySize);

            foreach (var port in new[] { server.Mta.Port, server.EndPoint("smtps").Port })
            {
                var starttls = port == server.Mta.Port;
                var byDefault = await ServedCertificate.FetchAsync(port, starttls, AcmePostern.HostName, ca.RootFile);
                Assert.True(byDefault.Verified, byDefault.Output);
                Assert.Equal("ecdsa", byDefault.KeyType);
                Assert.Equal(ecdsaLeaf.SerialNumber, byDefault.Serial);

                var rsaOnly = await ServedCertificate.FetchAsync(port, starttls, AcmePostern.HostName, ca.RootFile, sigalgs: "RSA-PSS+SHA256");
                Assert.True(rsaOnly.Verified, rsaOnly.Output);
                Assert.Equal("rsa", rsaOnly.KeyType);
                Assert.Equal(rsaLeaf.SerialNumber, rsaOnly.Serial);
                Assert.Equal(byDefault.DnsNames, rsaOnly.DnsNames);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
