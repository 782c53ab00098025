using System.Buffers;
using System.Security.Cryptography;

namespace Postern.Filters.Dkim;

/// <summary>
/// The body hash (bh=) computed as the body streams past, in pieces of any size and cut anywhere:
/// canonicalizes (RFC 6376 sections 3.4.3 and 3.4.4) and hashes with SHA-256, holding back only
/// what the next bytes decide: line ends that may turn out to be trailing empty lines (a count,
/// not the bytes), a CR whose LF may come in the next piece, and under relaxed a whitespace run
/// that may end its line. Nothing of the body is kept.
/// </summary>
public sealed class DkimBodyHasher : IDisposable
{
    private static readonly SearchValues<byte> RelaxedSpecial = SearchValues.Create(" \t\r"u8);
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
    private static readonly byte[] Space = " "u8.ToArray();
    private static readonly byte[] CarriageReturn = "\r"u8.ToArray();

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly bool _relaxed;
    private long _pendingLineEnds;
    private bool _pendingCr;
    private bool _pendingSpace;
    private bool _anyContent;
    private bool _finished;

    public DkimBodyHasher(DkimCanonicalization canonicalization) => _relaxed = canonicalization == DkimCanonicalization.Relaxed;

    public DkimCanonicalization Canonicalization => _relaxed ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;

    /// <summary>The next piece of the body.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!chunk.IsEmpty)
        {
            if (_pendingCr)
            {
                _pendingCr = false;
                if (chunk[0] == (byte)'\n')
                {
                    // A line ended; whitespace before it (relaxed) is dropped with it.
                    _pendingLineEnds++;
                    _pendingSpace = false;
                    chunk = chunk[1..];
                    continue;
                }
                Content(CarriageReturn);
            }
            var special = _relaxed ? chunk.IndexOfAny(RelaxedSpecial) : chunk.IndexOf((byte)'\r');
            if (special < 0)
            {
                Content(chunk);
                return;
            }
            if (special > 0)
            {
                Content(chunk[..special]);
            }
            if (chunk[special] == (byte)'\r')
            {
                _pendingCr = true;
            }
            else
            {
                _pendingSpace = true;
            }
            chunk = chunk[(special + 1)..];
        }
    }

    /// <summary>Ends the body and returns the SHA-256 of its canonical form.</summary>
    public byte[] Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_pendingCr)
        {
            // A CR that ends the body is a character of the last line, which then lacks its CRLF.
            _pendingCr = false;
            Content(CarriageReturn);
        }
        // Trailing empty lines are dropped and the last line gets its CRLF (added when missing).
        // Simple: an empty body is one CRLF. Relaxed: an empty body stays empty.
        if (_anyContent || !_relaxed)
        {
            _hash.AppendData(LineEnd);
        }
        _finished = true;
        return _hash.GetHashAndReset();
    }

    public void Dispose()
    {
        _finished = true;
        _hash.Dispose();
    }

    /// <summary>Bytes that are part of a line: the line ends and whitespace held back belong before them.</summary>
    private void Content(ReadOnlySpan<byte> bytes)
    {
        for (; _pendingLineEnds > 0; _pendingLineEnds--)
        {
            _hash.AppendData(LineEnd);
        }
        if (_pendingSpace)
        {
            _hash.AppendData(Space);
            _pendingSpace = false;
        }
        _hash.AppendData(bytes);
        _anyContent = true;
    }
}
