using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Postern.Pki.Acme.Challenges;

/// <summary>
/// tls-alpn-01 (RFC 8737): a TLS listener on <c>acme.tls_alpn_listen</c> that, for a ClientHello
/// naming a published domain in SNI, presents that domain's validation certificate with ALPN
/// <c>acme-tls/1</c> as the only protocol (TLS 1.2 or later), and closes once the handshake is
/// done. A ClientHello for any other name is refused in the handshake, so the port serves
/// nothing but validations.
/// </summary>
public sealed class TlsAlpn01Responder : IAcmeChallengeResponder
{
    public static readonly SslApplicationProtocol AcmeTls1 = new("acme-tls/1");

    private readonly ConcurrentDictionary<string, Published> _published = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ChallengeListener _listener;

    private TlsAlpn01Responder(IPEndPoint endPoint, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _listener = ChallengeListener.Start(endPoint, "acme.tls_alpn_listen", ServeAsync, time, logger);
    }

    public AcmeChallengeType Type => AcmeChallengeType.TlsAlpn01;

    /// <summary>The bound address (the real port when the configuration gave 0).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Binds <paramref name="endPoint"/> and starts answering.</summary>
    /// <exception cref="ChallengeBindException">The address cannot be bound.</exception>
    public static TlsAlpn01Responder Start(IPEndPoint endPoint, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        return new TlsAlpn01Responder(endPoint, time, logger);
    }

    public Task PublishAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        ArgumentException.ThrowIfNullOrEmpty(keyAuthorization);
        var certificate = TlsAlpnCertificate.Create(domain, keyAuthorization, _time.GetUtcNow());
        var published = new Published(token, certificate, SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true));
        if (_published.Remove(domain, out var replaced))
        {
            replaced.Certificate.Dispose();
        }
        _published[domain] = published;
        return Task.CompletedTask;
    }

    public Task WithdrawAsync(string domain, string token, CancellationToken cancellationToken)
    {
        // Only this token's certificate: a newer challenge for the same name stays.
        if (_published.TryGetValue(domain, out var published) && published.Token == token
            && _published.TryRemove(new KeyValuePair<string, Published>(domain, published)))
        {
            published.Certificate.Dispose();
        }
        return Task.CompletedTask;
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(SelectAsync, null, cancellationToken);
        ChallengeLog.TlsAlpnAnswered(_logger, tls.TargetHostName, client.RemoteEndPoint);
    }

    private ValueTask<SslServerAuthenticationOptions> SelectAsync(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(hello.ServerName) || !_published.TryGetValue(hello.ServerName, out var published))
        {
            throw new AuthenticationException($"no tls-alpn-01 challenge for the name '{hello.ServerName}'");
        }
        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = published.Context,
            ApplicationProtocols = [AcmeTls1],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        foreach (var published in _published.Values)
        {
            published.Certificate.Dispose();
        }
        _published.Clear();
    }

    private sealed record Published(string Token, X509Certificate2 Certificate, SslStreamCertificateContext Context);
}
