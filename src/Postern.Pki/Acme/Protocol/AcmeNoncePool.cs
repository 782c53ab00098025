namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// Nonces the server handed out in Replay-Nonce headers (RFC 8555 7.2), each used once. Every
/// response carries one, so after the first request new-nonce is rarely asked; the pool is small
/// (the oldest goes first) because nonces expire on the server.
/// </summary>
internal sealed class AcmeNoncePool
{
    private const int Capacity = 8;
    private const int MaxNonceLength = 256;

    private readonly Lock _lock = new();
    private readonly List<string> _nonces = [];

    /// <summary>Keeps <paramref name="nonce"/> when it is base64url (RFC 8555 6.5.1); anything else is dropped.</summary>
    public void Add(string? nonce)
    {
        if (nonce is not { Length: > 0 and <= MaxNonceLength } || !nonce.All(AcmeWireValues.IsBase64UrlCharacter))
        {
            return;
        }
        lock (_lock)
        {
            if (_nonces.Count == Capacity)
            {
                _nonces.RemoveAt(0);
            }
            _nonces.Add(nonce);
        }
    }

    /// <summary>The newest nonce (the least likely to have expired), or null when the pool is empty.</summary>
    public string? Take()
    {
        lock (_lock)
        {
            if (_nonces.Count == 0)
            {
                return null;
            }
            var nonce = _nonces[^1];
            _nonces.RemoveAt(_nonces.Count - 1);
            return nonce;
        }
    }

    /// <summary>How many nonces wait.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _nonces.Count;
            }
        }
    }
}
