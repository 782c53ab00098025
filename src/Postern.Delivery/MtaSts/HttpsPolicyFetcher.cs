using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Postern.Core.TlsReporting;

namespace Postern.Delivery.MtaSts;

/// <summary>
/// The policy fetch of RFC 8461 3.3: one HTTPS GET of <c>/.well-known/mta-sts.txt</c> from
/// mta-sts.DOMAIN over TLS 1.2 or later, the certificate validated for that name against the
/// system CAs (or <c>delivery.https_ca_file</c>), no redirects followed, no proxy, no cache; only
/// a 200 with a text/plain body of at most 64 KiB counts, read with a cap so a bigger one is never
/// held; the whole fetch runs under one deadline on the injected clock. One handler per fetch:
/// fetches are rare (a new policy id or a policy near expiry) and each needs its own certificate
/// verdict.
/// </summary>
public sealed class HttpsPolicyFetcher : IMtaStsPolicyFetcher
{
    /// <summary>RFC 8461 3.3 suggests senders cap the policy at 64 KiB.</summary>
    public const int MaxPolicyBytes = 64 * 1024;

    private const int MaxResponseHeadersKiB = 16;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly MtaStsOptions _options;
    private readonly X509Certificate2Collection? _trustAnchors;
    private readonly TimeProvider _time;

    /// <param name="options">The deadline and the test-only connect_to override.</param>
    /// <param name="trustAnchors">The CAs of delivery.https_ca_file; null for the system store.</param>
    /// <param name="time">The clock of the deadline.</param>
    public HttpsPolicyFetcher(MtaStsOptions options, X509Certificate2Collection? trustAnchors, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _trustAnchors = trustAnchors;
        _time = time;
    }

    public async ValueTask<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var host = "mta-sts." + domain;
        using var deadline = new CancellationTokenSource(_options.FetchTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var verdict = new CertificateVerdict();
        using var handler = CreateHandler(verdict);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://{host}/.well-known/mta-sts.txt"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return await ReadAsync(host, response, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return MtaStsFetchResult.Failure(TlsReportResultType.StsPolicyFetchError,
                $"fetching the policy from {host} took longer than {_options.FetchTimeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException) when (verdict.Errors is { } errors && errors != SslPolicyErrors.None)
        {
            return MtaStsFetchResult.Failure(TlsReportResultType.StsWebpkiInvalid,
                $"the certificate of {host} did not verify ({Describe(errors, verdict.ChainStatus)})");
        }
        catch (HttpRequestException e)
        {
            return MtaStsFetchResult.Failure(TlsReportResultType.StsPolicyFetchError, $"fetching the policy from {host} failed: {Reason(e)}");
        }
        catch (IOException e)
        {
            return MtaStsFetchResult.Failure(TlsReportResultType.StsPolicyFetchError, $"reading the policy from {host} failed: {e.Message}");
        }
    }

    private static async Task<MtaStsFetchResult> ReadAsync(string host, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // 3xx included: redirects MUST NOT be followed (RFC 8461 3.3).
            return MtaStsFetchResult.Failure(TlsReportResultType.StsPolicyFetchError,
                $"{host} answered HTTP {(int)response.StatusCode} to the policy request");
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return MtaStsFetchResult.Failure(TlsReportResultType.StsPolicyInvalid,
                $"{host} served the policy as {PrintableText.Of(mediaType ?? "no media type", 60)}, not text/plain");
        }
        if (response.Content.Headers.ContentLength > MaxPolicyBytes)
        {
            return TooLarge(host);
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxPolicyBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        if (length > MaxPolicyBytes)
        {
            return TooLarge(host);
        }
        try
        {
            return MtaStsFetchResult.Success(StrictUtf8.GetString(buffer, 0, length));
        }
        catch (DecoderFallbackException)
        {
            return MtaStsFetchResult.Failure(TlsReportResultType.StsPolicyInvalid, $"the policy from {host} is not UTF-8 text");
        }
    }

    private static MtaStsFetchResult TooLarge(string host) =>
        MtaStsFetchResult.Failure(TlsReportResultType.StsPolicyInvalid, $"the policy from {host} is larger than {MaxPolicyBytes / 1024} KiB");

    private SocketsHttpHandler CreateHandler(CertificateVerdict verdict)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = verdict.Validate,
        };
        if (_trustAnchors is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(_trustAnchors);
            ssl.CertificateChainPolicy = policy;
        }
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = MaxResponseHeadersKiB,
            MaxConnectionsPerServer = 1,
            SslOptions = ssl,
        };
        if (_options.ConnectTo is { } target)
        {
            handler.ConnectCallback = (_, token) => ConnectAsync(target, token);
        }
        return handler;
    }

    private static async ValueTask<Stream> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(SslPolicyErrors errors, string? chainStatus)
    {
        var parts = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            parts.Add("no certificate");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            parts.Add("name mismatch");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            parts.Add(chainStatus is null ? "untrusted chain" : $"untrusted chain: {chainStatus}");
        }
        return string.Join(", ", parts);
    }

    private static string Reason(Exception e)
    {
        // The innermost message names the socket or TLS error; HttpClient's outer one is generic.
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        return inner.Message;
    }

    /// <summary>The TLS layer's word on the policy host's certificate, kept to classify a failed fetch.</summary>
    private sealed class CertificateVerdict
    {
        public SslPolicyErrors? Errors { get; private set; }

        public string? ChainStatus { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            Errors = errors;
            if (chain is not null && chain.ChainStatus.Length > 0)
            {
                ChainStatus = string.Join("; ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            }
            return errors == SslPolicyErrors.None;
        }
    }
}
