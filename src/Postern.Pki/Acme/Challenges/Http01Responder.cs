using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Postern.Pki.Acme.Challenges;

/// <summary>
/// http-01 (RFC 8555 8.3): a small HTTP/1.1 listener on <c>acme.http_listen</c> that answers
/// GET /.well-known/acme-challenge/TOKEN with the key authorization of a published token and
/// everything else with a 404 saying what the port is for. One request per connection, the head
/// at most 8 KiB and read within 10 s; nothing else is served, so port 80 opens no web server.
/// </summary>
public sealed class Http01Responder : IAcmeChallengeResponder
{
    private readonly ConcurrentDictionary<string, string> _keyAuthorizations = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly ChallengeListener _listener;

    private Http01Responder(IPEndPoint endPoint, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        _listener = ChallengeListener.Start(endPoint, "acme.http_listen", ServeAsync, time, logger);
    }

    public AcmeChallengeType Type => AcmeChallengeType.Http01;

    /// <summary>The bound address (the real port when the configuration gave 0).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Binds <paramref name="endPoint"/> and starts answering.</summary>
    /// <exception cref="ChallengeBindException">The address cannot be bound.</exception>
    public static Http01Responder Start(IPEndPoint endPoint, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        return new Http01Responder(endPoint, time, logger);
    }

    public Task PublishAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(keyAuthorization);
        _keyAuthorizations[token] = keyAuthorization;
        return Task.CompletedTask;
    }

    public Task WithdrawAsync(string domain, string token, CancellationToken cancellationToken)
    {
        _keyAuthorizations.TryRemove(token, out _);
        return Task.CompletedTask;
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var buffer = new byte[Http01Exchange.MaxHeadLength];
        var received = 0;
        int headLength;
        while ((headLength = Http01Exchange.HeadLength(buffer.AsSpan(0, received))) < 0)
        {
            if (received == buffer.Length)
            {
                await stream.WriteAsync(Http01Exchange.Response(431, "Request Header Fields Too Large", "The request head is over 8 KiB.\n", withBody: true), cancellationToken);
                return;
            }
            var read = await stream.ReadAsync(buffer.AsMemory(received), cancellationToken);
            if (read == 0)
            {
                return;
            }
            received += read;
        }
        var token = Http01Exchange.RequestedToken(buffer.AsSpan(0, headLength), out var isHead);
        if (token is not null && _keyAuthorizations.TryGetValue(token, out var keyAuthorization))
        {
            ChallengeLog.HttpAnswered(_logger, token, client.RemoteEndPoint);
            await stream.WriteAsync(Http01Exchange.Response(200, "OK", keyAuthorization, withBody: !isHead), cancellationToken);
            return;
        }
        await stream.WriteAsync(Http01Exchange.Response(404, "Not Found", Http01Exchange.NotChallengeBody, withBody: !isHead), cancellationToken);
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
