using Microsoft.Extensions.Logging.Console;

namespace Postern.Logging;

internal sealed class MailLogFormatterOptions : ConsoleFormatterOptions
{
    public string HostName { get; set; } = "localhost";

    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
