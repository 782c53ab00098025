using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>An HttpClient that trusts exactly the CAs of one PEM file (a test server's), with a short timeout.</summary>
public static class TrustingHttpClient
{
    public static HttpClient Create(string caFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
    }
}
