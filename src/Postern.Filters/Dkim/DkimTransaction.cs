namespace Postern.Filters.Dkim;

/// <summary>
/// What the signer learns about one message while it streams: whether its client may relay,
/// whether its header block ended with an empty line, how many body bytes passed, and the body
/// hashes in the canonicalizations its signers need (none when the message is not one to sign).
/// </summary>
internal sealed class DkimTransaction : IDisposable
{
    private readonly DkimBodyHasher? _relaxed;
    private readonly DkimBodyHasher? _simple;
    private byte[]? _relaxedHash;
    private byte[]? _simpleHash;

    public DkimTransaction(bool mayRelay, bool hasBodySeparator, IEnumerable<DkimCanonicalization> hashing)
    {
        MayRelay = mayRelay;
        HasBodySeparator = hasBodySeparator;
        foreach (var canonicalization in hashing)
        {
            if (canonicalization == DkimCanonicalization.Simple)
            {
                _simple ??= new DkimBodyHasher(canonicalization);
            }
            else
            {
                _relaxed ??= new DkimBodyHasher(canonicalization);
            }
        }
    }

    public bool MayRelay { get; }

    /// <summary>The header block ended with an empty line; without one, a body would not be where a verifier looks for it.</summary>
    public bool HasBodySeparator { get; }

    public long BodyBytes { get; private set; }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        BodyBytes += chunk.Length;
        _relaxed?.Append(chunk);
        _simple?.Append(chunk);
    }

    /// <summary>The body hash in <paramref name="canonicalization"/>; null when it was not computed as the body streamed.</summary>
    public byte[]? HashFor(DkimCanonicalization canonicalization) => canonicalization == DkimCanonicalization.Simple
        ? _simpleHash ??= _simple?.Finish()
        : _relaxedHash ??= _relaxed?.Finish();

    public void Dispose()
    {
        _relaxed?.Dispose();
        _simple?.Dispose();
    }
}
