using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

using Postern.Core.Tls;

namespace Postern.Queue.TlsReports;

/// <summary>
/// POSTs a gzipped report to an https: address of RFC 8460 section 5.2 (Content-Type
/// application/tlsrpt+gzip). The server's certificate must chain to the system's CAs, or to
/// delivery.https_ca_file's when set, and name the host; TLS 1.2 or later; no proxy, no
/// redirects (a report goes where the record says, nowhere else); the whole exchange has a
/// deadline. Any 2xx answer counts as delivered.
/// </summary>
public sealed class TlsReportPoster : IDisposable
{
    public const string ContentType = "application/tlsrpt+gzip";

    /// <summary>The deadline of one POST, connection and answer included.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _client;
    private readonly TimeProvider _clock;
    private readonly X509Certificate2Collection? _trust;

    /// <param name="trust">The CAs to trust instead of the system's (delivery.https_ca_file, loaded as every HTTPS client of Postern loads it), or null.</param>
    /// <param name="clock">For the deadline.</param>
    public TlsReportPoster(X509Certificate2Collection? trust, TimeProvider clock)
    {
        _clock = clock;
        _trust = trust is { Count: > 0 } ? trust : null;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = _trust is null ? null : ValidateWithCaFile,
            },
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Null when the receiver took the report, else why not (for the log and the retry).</summary>
    public async Task<string?> PostAsync(Uri uri, byte[] gzip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        using var deadline = new CancellationTokenSource(Timeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        using var content = new ByteArrayContent(gzip);
        content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content, Version = HttpVersion.Version11 };
        try
        {
            // Headers only: the body of the answer is never read.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? null : $"HTTP {status} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {Timeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            return e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        }
    }

    /// <summary>Chains to the configured CAs only (not the system's) and the name must match.</summary>
    private bool ValidateWithCaFile(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        // The intermediates the server sent serve as such; the anchors are the configured CAs alone.
        return CustomTrustChain.Builds(certificate, chain, _trust!, _clock.GetUtcNow());
    }

    public void Dispose() => _client.Dispose();
}
