using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Postern.Logging;

/// <summary>Writes the mail log to the console (stderr) in sendmail's syslog-like shape.</summary>
internal sealed class MailLogConsoleFormatter(IOptionsMonitor<MailLogFormatterOptions> options)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "mail";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var settings = options.CurrentValue;
        textWriter.WriteLine(MailLogLine.Format(settings.Clock.GetLocalNow(), settings.HostName, logEntry.LogLevel, message, logEntry.Exception));
    }
}
