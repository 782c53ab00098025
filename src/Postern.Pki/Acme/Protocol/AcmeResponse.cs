namespace Postern.Pki.Acme.Protocol;

/// <summary>One successful answer of the ACME server: what the client reads from it.</summary>
/// <param name="Status">The HTTP status (2xx).</param>
/// <param name="Location">The Location header, resolved against the request URL, when sent.</param>
/// <param name="RetryAfter">Retry-After as a wait from now, when sent.</param>
/// <param name="Body">The body, at most the request's cap.</param>
internal sealed record AcmeResponse(int Status, Uri? Location, TimeSpan? RetryAfter, byte[] Body);
