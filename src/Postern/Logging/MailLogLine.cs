using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Postern.Logging;

/// <summary>
/// One mail log line in syslog's shape, as sendmail's log looks:
/// <c>Nov 23 15:22:19 mail postern[812]: 0QbHc1...: from=&lt;a@b&gt;, size=412, ...</c>.
/// </summary>
internal static class MailLogLine
{
    private static readonly string Tag = "postern[" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Format(DateTimeOffset time, string hostName, LogLevel level, string message, Exception? exception)
    {
        var severity = level switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error => "error: ",
            LogLevel.Critical => "fatal: ",
            _ => "",
        };
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{time:MMM dd HH:mm:ss} {hostName} {Tag}: {severity}{message}");
        return exception is null ? line : line + Environment.NewLine + exception;
    }
}
