using System.Globalization;
using Postern.Core.Smtp;

namespace Postern.Queue;

/// <summary>Field formats of the sendmail-style mail log.</summary>
internal static class MailLogFormat
{
    /// <summary>sendmail's delay: <c>hh:mm:ss</c>, with <c>d+</c> in front after a day.</summary>
    public static string Delay(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        var time = delay.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        return delay.Days > 0 ? string.Create(CultureInfo.InvariantCulture, $"{delay.Days}+{time}") : time;
    }

    /// <summary>The enhanced status code of a reply, or one derived from its class when it has none.</summary>
    public static string Dsn(SmtpReply reply) =>
        reply.Status?.ToString() ?? string.Create(CultureInfo.InvariantCulture, $"{reply.Code / 100}.0.0");

    /// <summary>Text for a reply line: no line breaks, whatever an exception message held.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
