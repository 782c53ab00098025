using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>
/// The spool file format, version 1:
/// <code>
/// POSTERN-SPOOL 1\n
/// {envelope as one JSON line}\n
/// message bytes
/// \nPOSTERN-END bodylength\n
/// </code>
/// The trailer is written last, so a file cut short anywhere fails validation. Fields are added
/// to the envelope line only as optional members that are omitted when unset (DELIVERBY's
/// <c>deliverBy</c>, QUARANTINE's <c>quarantineReason</c>), so the version stays 1: older files
/// load as before, and an older reader ignores what it does not know. A quarantined message is
/// held by its <c>id.hold</c> marker (which carries the reason), created before the message is
/// renamed into queue/.
/// </summary>
internal static class SpoolFormat
{
    public const int Version = 1;

    /// <summary>Bounds the envelope line so a garbage file without newlines cannot exhaust memory.</summary>
    public const int MaxEnvelopeLineBytes = 16 * 1024 * 1024;

    private const string Magic = "POSTERN-SPOOL";
    private const string TrailerPrefix = "\nPOSTERN-END ";
    private const int MaxTrailerBytes = 64;

    /// <summary>The first read of a spool file: the version and envelope lines fit, and the whole of a small message.</summary>
    private const int HeadBytes = 16 * 1024;

    private static readonly byte[] VersionLine = Encoding.ASCII.GetBytes($"{Magic} {Version}\n");

    public static byte[] Header(SpoolRecord record)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, SpoolJsonContext.Default.SpoolRecord);
        var header = new byte[VersionLine.Length + json.Length + 1];
        VersionLine.CopyTo(header, 0);
        json.CopyTo(header, VersionLine.Length);
        header[^1] = (byte)'\n';
        return header;
    }

    public static byte[] Trailer(long bodyLength) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{TrailerPrefix}{bodyLength}\n"));

    /// <summary>Validates a whole spool file and returns its envelope and where the body lies.</summary>
    /// <remarks>
    /// Reads only the head (the version and envelope lines, usually within the first
    /// <see cref="HeadBytes"/>) and the trailer, with positioned reads into a pooled buffer: recovery
    /// and <c>postern queue list</c> call this once per queued message, so a deep queue costs no
    /// per-file stream buffer.
    /// </remarks>
    /// <exception cref="SpoolFormatException">The file is torn, truncated or not a spool file.</exception>
    public static SpoolHeader Read(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var buffer = ArrayPool<byte>.Shared.Rent(HeadBytes);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            var filled = RandomAccess.Read(handle, buffer, 0);
            // Most messages fit whole in the first read, trailer included: no second read.
            var whole = filled == fileLength;
            var versionEnd = buffer.AsSpan(0, Math.Min(filled, VersionLine.Length + 9)).IndexOf((byte)'\n');
            if (versionEnd < 0)
            {
                throw new SpoolFormatException("no version line");
            }
            CheckVersion(buffer.AsSpan(0, versionEnd));
            var envelopeStart = versionEnd + 1;
            int envelopeEnd;
            while ((envelopeEnd = buffer.AsSpan(envelopeStart, filled - envelopeStart).IndexOf((byte)'\n')) < 0)
            {
                // A long envelope (many recipients): read on, up to the bound.
                if (filled == fileLength || filled - envelopeStart > MaxEnvelopeLineBytes)
                {
                    throw new SpoolFormatException("envelope line missing or too long");
                }
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = RandomAccess.Read(handle, buffer.AsSpan(filled), filled);
                if (read == 0)
                {
                    throw new SpoolFormatException("envelope line missing or too long");
                }
                filled += read;
            }
            if (envelopeEnd > MaxEnvelopeLineBytes)
            {
                throw new SpoolFormatException("envelope line missing or too long");
            }
            var (envelope, queuedAt) = ParseEnvelope(buffer.AsSpan(envelopeStart, envelopeEnd));
            long bodyOffset = envelopeStart + envelopeEnd + 1;

            var tailLength = (int)Math.Min(MaxTrailerBytes, fileLength - bodyOffset);
            Span<byte> tail = stackalloc byte[MaxTrailerBytes];
            tail = tail[..tailLength];
            if (whole)
            {
                buffer.AsSpan((int)fileLength - tailLength, tailLength).CopyTo(tail);
            }
            else if (RandomAccess.Read(handle, tail, fileLength - tailLength) != tailLength)
            {
                throw new SpoolFormatException("end marker missing");
            }
            var bodyLength = ParseTrailer(tail);
            CheckLength(bodyOffset, bodyLength, fileLength);
            return new SpoolHeader(envelope, queuedAt, bodyOffset, bodyLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>As <see cref="Read(string)"/>, from an open file; leaves its position anywhere.</summary>
    /// <exception cref="SpoolFormatException">The file is torn, truncated or not a spool file.</exception>
    public static SpoolHeader Read(FileStream file)
    {
        var fileLength = file.Length;

        var versionLine = ReadLine(file, VersionLine.Length + 8) ?? throw new SpoolFormatException("no version line");
        CheckVersion(versionLine);

        var envelopeLine = ReadLine(file, MaxEnvelopeLineBytes) ?? throw new SpoolFormatException("envelope line missing or too long");
        var (envelope, queuedAt) = ParseEnvelope(envelopeLine);
        var bodyOffset = file.Position;

        var tailLength = (int)Math.Min(MaxTrailerBytes, fileLength - bodyOffset);
        var tail = new byte[tailLength];
        file.Position = fileLength - tailLength;
        file.ReadExactly(tail);
        var bodyLength = ParseTrailer(tail);
        CheckLength(bodyOffset, bodyLength, fileLength);
        return new SpoolHeader(envelope, queuedAt, bodyOffset, bodyLength);
    }

    private static void CheckVersion(ReadOnlySpan<byte> versionLine)
    {
        var versionText = Encoding.ASCII.GetString(versionLine);
        if (!versionText.StartsWith(Magic + " ", StringComparison.Ordinal))
        {
            throw new SpoolFormatException("not a spool file");
        }
        if (versionText != $"{Magic} {Version}")
        {
            throw new SpoolFormatException($"unsupported spool version '{versionText[(Magic.Length + 1)..]}'");
        }
    }

    private static (Envelope Envelope, DateTimeOffset QueuedAt) ParseEnvelope(ReadOnlySpan<byte> envelopeLine)
    {
        SpoolRecord record;
        try
        {
            record = JsonSerializer.Deserialize(envelopeLine, SpoolJsonContext.Default.SpoolRecord)
                ?? throw new SpoolFormatException("envelope is null");
        }
        catch (JsonException ex)
        {
            throw new SpoolFormatException("envelope is not valid JSON", ex);
        }
        return (EnvelopeMapper.ToEnvelope(record), record.QueuedAt);
    }

    private static void CheckLength(long bodyOffset, long bodyLength, long fileLength)
    {
        if (bodyOffset + bodyLength + Trailer(bodyLength).Length != fileLength)
        {
            throw new SpoolFormatException("body length in trailer does not match the file size");
        }
    }

    /// <summary>The body length from the file's last bytes (at most <see cref="MaxTrailerBytes"/>).</summary>
    private static long ParseTrailer(ReadOnlySpan<byte> tail)
    {
        var tailLength = tail.Length;
        if (tailLength == 0 || tail[^1] != (byte)'\n')
        {
            throw new SpoolFormatException("end marker missing");
        }
        var text = Encoding.ASCII.GetString(tail[..(tailLength - 1)]);
        var start = text.LastIndexOf(TrailerPrefix, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new SpoolFormatException("end marker missing");
        }
        var digits = text[(start + TrailerPrefix.Length)..];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var bodyLength)
            || digits != bodyLength.ToString(CultureInfo.InvariantCulture))
        {
            throw new SpoolFormatException("end marker has a malformed length");
        }
        return bodyLength;
    }

    /// <summary>Reads up to and excluding the next '\n', or null when none comes within <paramref name="max"/> bytes.</summary>
    private static byte[]? ReadLine(FileStream file, int max)
    {
        using var line = new MemoryStream();
        while (line.Length <= max)
        {
            var b = file.ReadByte();
            if (b < 0)
            {
                return null;
            }
            if (b == '\n')
            {
                return line.ToArray();
            }
            line.WriteByte((byte)b);
        }
        return null;
    }
}
