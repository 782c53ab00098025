using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Postern.Core.Smtp;

namespace Postern.Protocol.Client;

/// <summary>
/// Reads one SMTP reply (RFC 5321 4.2), single or multi-line, from a server. Every read is
/// bounded: line length and line count. An enhanced status code (RFC 2034/3463) is taken from
/// the text when it starts with one whose class matches the reply code, whether or not the server
/// advertised ENHANCEDSTATUSCODES (many send them before EHLO too); it is removed from the lines
/// so <see cref="SmtpReply.ToWireString"/> gives the reply back.
/// </summary>
public sealed class SmtpReplyReader
{
    public const int DefaultMaxLineLength = 4096;
    public const int DefaultMaxLines = 256;

    private readonly int _maxLineLength;
    private readonly int _maxLines;

    public SmtpReplyReader(int maxLineLength = DefaultMaxLineLength, int maxLines = DefaultMaxLines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        _maxLineLength = maxLineLength;
        _maxLines = maxLines;
    }

    /// <summary>Reads the next reply; throws <see cref="SmtpProtocolException"/> on malformed input or end of stream.</summary>
    public async ValueTask<SmtpReply> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var lines = new List<string>();
        var code = 0;
        while (true)
        {
            var line = await ReadLineAsync(input, cancellationToken);
            if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new SmtpProtocolException("Malformed reply line: " + Printable(line));
            }
            var lineCode = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            if (lineCode is < 200 or > 599)
            {
                throw new SmtpProtocolException("Reply code out of range: " + Printable(line));
            }
            if (code != 0 && lineCode != code)
            {
                throw new SmtpProtocolException("Reply code changed inside a multi-line reply: " + Printable(line));
            }
            code = lineCode;
            lines.Add(line.Length > 4 ? Printable(line[4..]) : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                return Build(code, lines);
            }
            if (lines.Count >= _maxLines)
            {
                throw new SmtpProtocolException("Reply has too many lines");
            }
        }
    }

    private static SmtpReply Build(int code, List<string> lines)
    {
        var first = lines[0];
        var space = first.IndexOf(' ', StringComparison.Ordinal);
        var token = space < 0 ? first : first[..space];
        if (token.Length > 0 && token[0] - '0' == code / 100 && EnhancedStatusCode.TryParse(token, out var status))
        {
            var stripped = lines.Select(l => Strip(l, token)).ToList();
            return new SmtpReply(code, status, stripped);
        }
        return SmtpReply.WithoutStatus(code, lines);
    }

    private static string Strip(string line, string token) =>
        line == token ? string.Empty
        : line.StartsWith(token + " ", StringComparison.Ordinal) ? line[(token.Length + 1)..]
        : line;

    private async ValueTask<string> ReadLineAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var lineBuffer = buffer.Slice(0, end);
                if (lineBuffer.Length > _maxLineLength)
                {
                    input.AdvanceTo(buffer.Start);
                    throw new SmtpProtocolException("Reply line too long");
                }
                var bytes = lineBuffer.ToArray();
                input.AdvanceTo(buffer.GetPosition(1, end));
                var length = bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length;
                return Encoding.UTF8.GetString(bytes, 0, length);
            }
            if (buffer.Length > _maxLineLength)
            {
                input.AdvanceTo(buffer.Start);
                throw new SmtpProtocolException("Reply line too long");
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                throw new SmtpProtocolException(buffer.IsEmpty ? "Connection closed by server" : "Connection closed inside a reply line");
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Control characters never reach the log or a DSN.</summary>
    private static string Printable(string text) =>
        text.Any(char.IsControl) ? new string(text.Select(c => char.IsControl(c) && c != '\t' ? '?' : c).ToArray()) : text;
}
