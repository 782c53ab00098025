using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Logging;

namespace Postern.Tests.Logging;

public sealed class MailLogStderrProviderTests
{
    [Fact]
    public void Writes_every_line_in_order_in_the_mail_log_shape_by_the_time_it_is_disposed()
    {
        using var output = new MemoryStream();
        var provider = new MailLogStderrProvider(output, "mx.example", TimeProvider.System);
        var logger = provider.CreateLogger("test");
        for (var i = 0; i < 3000; i++)
        {
            logger.Log(LogLevel.Information, default, i, null, static (n, _) => $"line {n}");
        }
        logger.Log(LogLevel.Warning, default, "last", null, static (s, _) => s);
        provider.Dispose();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3001, lines.Length);
        for (var i = 0; i < 3000; i++)
        {
            Assert.EndsWith($" mx.example postern[{Environment.ProcessId}]: line {i}", lines[i], StringComparison.Ordinal);
        }
        Assert.EndsWith(": warning: last", lines[3000], StringComparison.Ordinal);
    }
}
