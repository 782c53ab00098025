using Postern.Core.Smtp;

namespace Postern.Milter.Client;

/// <summary>The SMTP replies a milter's verdict becomes when it gives no text of its own (Postfix's milter8.c wording).</summary>
internal static class MilterReplies
{
    public static readonly SmtpReply Rejected = new(550, "5.7.1", "Command rejected");

    public static readonly SmtpReply TempFailed = new(451, "4.7.1", "Service unavailable - try again later");

    /// <summary>SMFIR_SHUTDOWN and SMFIR_CONN_FAIL: the milter wants the client gone.</summary>
    public static readonly SmtpReply ShutDown = new(421, "4.7.0", "Service unavailable - closing connection");

    /// <summary>
    /// An SMFIR_REPLYCODE text (already checked: every line <c>ddd</c> and a space or hyphen, 4xx or
    /// 5xx, CRLF between lines) as a reply: the enhanced status of the first line, if it has one,
    /// is the reply's and is taken off every line that repeats it. sendmail uses the text as a
    /// format string, so milters double a '%'; it is undoubled here, as Postfix does.
    /// </summary>
    public static SmtpReply FromReplyCode(string text)
    {
        var lines = text.Split("\r\n");
        var code = int.Parse(lines[0].AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
        var first = lines[0].Length > 4 ? lines[0][4..] : "";
        var statusWord = first.Split(' ', 2)[0];
        EnhancedStatusCode? status = EnhancedStatusCode.TryParse(statusWord, out var parsed) && parsed.Class == code / 100 ? parsed : null;
        var texts = new string[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Length > 4 ? lines[i][4..] : "";
            if (status is not null && line.StartsWith(statusWord, StringComparison.Ordinal))
            {
                line = line[statusWord.Length..].TrimStart(' ');
            }
            texts[i] = Undouble(line);
        }
        return new SmtpReply(code, status, texts);
    }

    private static string Undouble(string line)
    {
        if (!line.Contains('%', StringComparison.Ordinal))
        {
            return line;
        }
        var builder = new System.Text.StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '%')
            {
                // "%%" is one '%'; a lone '%' (an invalid format) is dropped.
                if (i + 1 < line.Length && line[i + 1] == '%')
                {
                    builder.Append('%');
                    i++;
                }
                continue;
            }
            builder.Append(line[i]);
        }
        return builder.ToString();
    }
}
