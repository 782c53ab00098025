using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

using Postern.Core.Tls;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The HTTPS handler of the ACME client: TLS 1.2 or later, no proxy, no redirects (RFC 8555 URLs
/// come from the directory, a redirect is an error), no cookies, no decompression. The server's
/// certificate must name the host and chain to the system's CAs or to one of
/// <c>acme.directory_ca_file</c>'s (a private CA such as step-ca, or pebble's test CA).
/// </summary>
internal static class AcmeHttpsHandler
{
    private const int MaxResponseHeadersKiB = 32;

    /// <param name="extraTrust">The CAs of directory_ca_file, trusted besides the system store; null or empty for the system store only.</param>
    /// <param name="time">The clock the chain is checked at.</param>
    public static SocketsHttpHandler Create(X509Certificate2Collection? extraTrust, TimeProvider time)
    {
        var validator = new Validator(extraTrust is { Count: > 0 } ? extraTrust : null, time);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = MaxResponseHeadersKiB,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = validator.Validate,
            },
        };
    }

    private sealed class Validator(X509Certificate2Collection? extraTrust, TimeProvider time)
    {
        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }
            // Only an untrusted chain can be rescued, and only by directory_ca_file; a wrong name never.
            if (extraTrust is null || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
            {
                return false;
            }
            return CustomTrustChain.Builds(certificate, chain, extraTrust, time.GetUtcNow());
        }
    }
}
