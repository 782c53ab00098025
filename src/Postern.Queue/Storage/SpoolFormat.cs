using System.Globalization;
using System.Text;
using System.Text.Json;

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
    /// <exception cref="SpoolFormatException">The file is torn, truncated or not a spool file.</exception>
    public static SpoolHeader Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024);
        return Read(file);
    }

    /// <summary>As <see cref="Read(string)"/>, from an open file; leaves its position anywhere.</summary>
    /// <exception cref="SpoolFormatException">The file is torn, truncated or not a spool file.</exception>
    public static SpoolHeader Read(FileStream file)
    {
        var fileLength = file.Length;

        var versionLine = ReadLine(file, VersionLine.Length + 8) ?? throw new SpoolFormatException("no version line");
        var versionText = Encoding.ASCII.GetString(versionLine);
        if (!versionText.StartsWith(Magic + " ", StringComparison.Ordinal))
        {
            throw new SpoolFormatException("not a spool file");
        }
        if (versionText != $"{Magic} {Version}")
        {
            throw new SpoolFormatException($"unsupported spool version '{versionText[(Magic.Length + 1)..]}'");
        }

        var envelopeLine = ReadLine(file, MaxEnvelopeLineBytes) ?? throw new SpoolFormatException("envelope line missing or too long");
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
        var envelope = EnvelopeMapper.ToEnvelope(record);
        var bodyOffset = file.Position;

        var bodyLength = ReadTrailer(file, fileLength);
        if (bodyOffset + bodyLength + Trailer(bodyLength).Length != fileLength)
        {
            throw new SpoolFormatException("body length in trailer does not match the file size");
        }
        return new SpoolHeader(envelope, record.QueuedAt, bodyOffset, bodyLength);
    }

    private static long ReadTrailer(FileStream file, long fileLength)
    {
        var tailLength = (int)Math.Min(MaxTrailerBytes, fileLength - file.Position);
        var tail = new byte[tailLength];
        file.Position = fileLength - tailLength;
        file.ReadExactly(tail);
        if (tailLength == 0 || tail[^1] != (byte)'\n')
        {
            throw new SpoolFormatException("end marker missing");
        }
        var text = Encoding.ASCII.GetString(tail, 0, tailLength - 1);
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
