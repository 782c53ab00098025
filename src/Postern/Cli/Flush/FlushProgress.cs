using System.Globalization;

namespace Postern.Cli.Flush;

/// <summary>
/// The progress of <c>postern queue flush --wait</c>. On a terminal one line is rewritten in place
/// (carriage return, then erase to the end of the line); into a file or a pipe, where control
/// characters would only be noise in a log, a plain line is written when the count changes, and
/// every <see cref="PlainRepeat"/> while it does not, so a slow queue still shows signs of life.
/// </summary>
internal sealed class FlushProgress(TextWriter output, bool interactive, TimeProvider time)
{
    /// <summary>How often an unchanged count is repeated on a non-terminal.</summary>
    public static readonly TimeSpan PlainRepeat = TimeSpan.FromSeconds(10);

    private const string EraseLine = "\r\u001b[K";

    private int? _lastLeft;
    private long _lastWritten;

    /// <summary>"flushing: 120 of 500 messages left".</summary>
    public static string Format(int left, int total) => string.Create(
        CultureInfo.InvariantCulture, $"flushing: {left} of {total} {(total == 1 ? "message" : "messages")} left");

    public void Report(int left, int total)
    {
        var text = Format(left, total);
        if (interactive)
        {
            output.Write(EraseLine + text);
        }
        else if (left != _lastLeft || time.GetElapsedTime(_lastWritten) >= PlainRepeat)
        {
            output.WriteLine(text);
        }
        else
        {
            return;
        }
        output.Flush();
        _lastLeft = left;
        _lastWritten = time.GetTimestamp();
    }

    /// <summary>Ends the progress display: on a terminal the updating line is replaced by <paramref name="message"/>.</summary>
    public void Finish(string message)
    {
        output.WriteLine((interactive && _lastLeft is not null ? EraseLine : "") + message);
        output.Flush();
    }
}
