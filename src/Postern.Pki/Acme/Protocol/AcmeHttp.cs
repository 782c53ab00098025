using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using static Postern.Pki.Acme.Protocol.AcmeWireValues;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The HTTP side of the conversation: GETs of the directory and renewal information, signed POSTs
/// with a nonce from the pool (or HEAD new-nonce), badNonce answered by signing again with the
/// fresh nonce of the refusal (RFC 8555 6.5, at most <see cref="BadNonceRetries"/> times), every
/// request under its own deadline, bodies read up to a cap, errors turned into <see cref="AcmeException"/>.
/// </summary>
internal sealed class AcmeHttp : IDisposable
{
    /// <summary>How often a request is signed again after badNonce before the refusal stands.</summary>
    public const int BadNonceRetries = 3;

    /// <summary>The cap of a JSON body (directory, order, authorization, problem).</summary>
    public const int MaxJsonBytes = 64 * 1024;

    /// <summary>The cap of a certificate chain.</summary>
    public const int MaxChainBytes = 1024 * 1024;

    private const string JoseJson = "application/jose+json";
    private static readonly ProductInfoHeaderValue UserAgent =
        new("Postern", typeof(AcmeHttp).Assembly.GetName().Version?.ToString(3) ?? "1");

    private readonly HttpClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    /// <param name="handler">The HTTPS handler (owned); tests pass a fake server.</param>
    /// <param name="time">The clock of deadlines and Retry-After dates.</param>
    /// <param name="timeout">The deadline of each request, answer included.</param>
    public AcmeHttp(HttpMessageHandler handler, TimeProvider time, TimeSpan timeout)
    {
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _time = time;
        _timeout = timeout;
    }

    public AcmeNoncePool Nonces { get; } = new();

    /// <summary>An unauthenticated GET (the directory, renewalInfo).</summary>
    public Task<AcmeResponse> GetAsync(string operation, Uri url, CancellationToken cancellationToken) =>
        SendAsync(operation, () => new HttpRequestMessage(HttpMethod.Get, url), MaxJsonBytes, cancellationToken);

    /// <summary>
    /// A signed POST: <paramref name="sign"/> makes the body for a nonce; it is called again with a
    /// fresh nonce when the server answers badNonce.
    /// </summary>
    public async Task<AcmeResponse> PostAsync(string operation, Uri url, Uri newNonce, Func<string, byte[]> sign, string accept, int maxBytes, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var nonce = Nonces.Take() ?? await FetchNonceAsync(newNonce, cancellationToken);
            var body = sign(nonce);
            try
            {
                return await SendAsync(operation, () => Post(url, body, accept), maxBytes, cancellationToken);
            }
            catch (AcmeException e) when (e.Problem?.ShortType == "badNonce" && attempt < BadNonceRetries)
            {
                // The refusal carried a fresh nonce (RFC 8555 6.5); the next attempt takes it from the pool.
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<string> FetchNonceAsync(Uri newNonce, CancellationToken cancellationToken)
    {
        // RFC 8555 7.2: HEAD new-nonce answers 200 with a Replay-Nonce header and no body.
        await SendAsync("new-nonce", () => new HttpRequestMessage(HttpMethod.Head, newNonce), 0, cancellationToken);
        return Nonces.Take() ?? throw new AcmeException($"new-nonce: {newNonce.Host} sent no usable Replay-Nonce");
    }

    private static HttpRequestMessage Post(Uri url, byte[] body, string accept)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(JoseJson);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    private async Task<AcmeResponse> SendAsync(string operation, Func<HttpRequestMessage> create, int maxBytes, CancellationToken cancellationToken)
    {
        using var request = create();
        var url = request.RequestUri!;
        request.Version = HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher;
        request.Headers.UserAgent.Add(UserAgent);
        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
            {
                Nonces.Add(nonces.FirstOrDefault());
            }
            var retryAfter = RetryAfterHeader.Read(response, _time.GetUtcNow());
            var status = (int)response.StatusCode;
            if (status is < 200 or >= 300)
            {
                var errorBody = await ReadBodyAsync(operation, url, response, MaxJsonBytes, linked.Token);
                throw Refusal(operation, url, response, status, errorBody, retryAfter);
            }
            var body = await ReadBodyAsync(operation, url, response, maxBytes, linked.Token);
            return new AcmeResponse(status, Location(operation, url, response), retryAfter, body);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AcmeException($"{operation}: {url.Host} did not answer within {_timeout.TotalSeconds:0} s", inner: e);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            throw new AcmeException($"{operation}: the HTTPS certificate of {url.Host} did not verify against the system CAs or acme.directory_ca_file", inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new AcmeException($"{operation}: cannot reach the ACME server {url.Host}: {Printable(Innermost(e).Message, 200)}", inner: e);
        }
        catch (IOException e)
        {
            throw new AcmeException($"{operation}: reading the answer of {url.Host} failed: {Printable(Innermost(e).Message, 200)}", inner: e);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(string operation, Uri url, HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw new AcmeException($"{operation}: {url.Host} sent an answer larger than {maxBytes / 1024} KiB");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        using var body = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > maxBytes)
            {
                throw new AcmeException($"{operation}: {url.Host} sent an answer larger than {maxBytes / 1024} KiB");
            }
        }
        return body.ToArray();
    }

    private static AcmeException Refusal(string operation, Uri url, HttpResponseMessage response, int status, byte[] body, TimeSpan? retryAfter)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        AcmeProblem? problem = null;
        if (body.Length > 0 && (mediaType is "application/problem+json" or "application/json"))
        {
            try
            {
                problem = AcmeResponseParser.Problem(body, status);
            }
            catch (AcmeException)
            {
                // Not a problem document after all: the HTTP status has to do.
            }
        }
        if (problem is null)
        {
            return new AcmeException($"{operation}: {url.Host} answered HTTP {status} {Printable(response.ReasonPhrase ?? "", 60)}".TrimEnd(), retryAfter: retryAfter);
        }
        return new AcmeException($"{operation}: {Describe(problem)}", problem, retryAfter);
    }

    /// <summary>The problem for one log line: type, detail, status, then each subproblem's name and detail.</summary>
    internal static string Describe(AcmeProblem problem)
    {
        var text = problem.ToString();
        foreach (var sub in problem.Subproblems.Take(5))
        {
            var kind = sub.Type.StartsWith(AcmeProblem.ErrorPrefix, StringComparison.Ordinal) ? sub.Type[AcmeProblem.ErrorPrefix.Length..] : sub.Type;
            text += $"; {sub.Identifier ?? "?"}: {kind}" + (sub.Detail is null ? "" : $": {sub.Detail}");
        }
        return problem.Subproblems.Count > 5 ? text + $"; and {problem.Subproblems.Count - 5} more" : text;
    }

    private static Uri? Location(string operation, Uri url, HttpResponseMessage response)
    {
        if (response.Headers.Location is not { } location)
        {
            return null;
        }
        var absolute = location.IsAbsoluteUri ? location : new Uri(url, location);
        return OptionalUrl(absolute.OriginalString, "Location", $"an answer to {operation}");
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }
}
