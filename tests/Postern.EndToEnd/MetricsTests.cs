using System.Globalization;
using System.Text.RegularExpressions;

namespace Postern.EndToEnd;

/// <summary>
/// The real binary with [metrics] on a free loopback port: real clients send mail and try to
/// relay, curl scrapes /metrics, and the counts are exactly what this test caused.
/// </summary>
public sealed partial class MetricsTests
{
    private const int Messages = 3;

    [Fact]
    public async Task Scraped_metrics_show_the_mail_this_test_sent_and_healthz_is_ok()
    {
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            await using var server = await PosternProcess.StartAsync(PosternProcess.Config("[metrics]\nlisten = \"127.0.0.1:0\"\n"), dataDir);
            var metricsLine = await server.WaitForLogAsync(l => l.Contains("metrics listening on ", StringComparison.Ordinal));
            var baseUrl = MetricsAddress().Match(metricsLine).Groups["url"].Value;
            Assert.StartsWith("http://127.0.0.1:", baseUrl, StringComparison.Ordinal);

            var tokens = Enumerable.Range(0, Messages).Select(_ => "metrics-" + Guid.NewGuid().ToString("N")[..10]).ToList();
            foreach (var token in tokens)
            {
                var (code, output) = await ExternalCommand.RunAsync("swaks", "--to", "user@localhost", "--from", "sender@example.org",
                    "--server", server.Mta.ToString(), "--header", "Subject: " + token, "--body", "counted");
                Assert.True(code == 0, output);
            }
            var relay = $$"""
                import smtplib
                s = smtplib.SMTP("{{server.Mta.Address}}", {{server.Mta.Port}}, timeout=30)
                s.ehlo("python.test")
                s.mail("p@example.org")
                code, text = s.rcpt("victim@elsewhere.example")
                assert code == 550, (code, text)
                s.quit()
                """;
            var (relayCode, relayOutput) = await ExternalCommand.RunAsync("python3", "-c", relay);
            Assert.True(relayCode == 0, relayOutput);
            foreach (var token in tokens)
            {
                await server.WaitForMailAsync("user", token);
            }

            // Deliveries are counted just after the Maildir write: scrape until they show, bounded.
            var text = await ScrapeAsync(baseUrl + "metrics");
            for (var i = 0; i < 50 && Value(text, "postern_delivery_attempts_total", "result=delivered", "transport=local") < Messages; i++)
            {
                await Task.Delay(200);
                text = await ScrapeAsync(baseUrl + "metrics");
            }

            Assert.Equal(Messages, Value(text, "postern_smtp_messages_total", "listener=mta", "result=accepted"));
            Assert.Equal(1, Value(text, "postern_smtp_rejections_total", "stage=check_rcpt", "rule=reject_unauth_destination"));
            Assert.Equal(1, Sum(text, "postern_smtp_rejections_total"));
            Assert.True(Value(text, "postern_smtp_connections_total", "listener=mta", "result=accepted") >= Messages + 1, text);
            Assert.Equal(0, Value(text, "postern_smtp_connections_total", "listener=mta", "result=refused"));
            Assert.Equal(Messages, Value(text, "postern_delivery_attempts_total", "result=delivered", "transport=local"));
            Assert.Equal(Messages, Value(text, "postern_delivery_latency_seconds_count", "transport=local"));
            Assert.True(Value(text, "postern_smtp_received_bytes_total", "listener=mta") > 0, text);
            Assert.Equal(0, Value(text, "postern_queue_messages", "state=hold"));

            var (healthCode, health) = await ExternalCommand.RunAsync("curl", "-sS", "--max-time", "10", "-w", " %{http_code}", baseUrl + "healthz");
            Assert.True(healthCode == 0, health);
            Assert.Contains("\nok\n 200", health, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_metrics_port_in_use_stops_the_start_with_the_key_named()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await using var server = await PosternProcess.StartAsync(PosternProcess.Config($"[metrics]\nlisten = \"127.0.0.1:{port}\"\n"), dataDir);
            });
            Assert.Contains("postern: cannot start: metrics.listen: cannot listen on 127.0.0.1:" + port, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<string> ScrapeAsync(string url)
    {
        var (code, output) = await ExternalCommand.RunAsync("curl", "-sS", "--max-time", "10", url);
        Assert.True(code == 0, output);
        return output;
    }

    /// <summary>The value of the series with exactly these labels (any order), or 0 when absent.</summary>
    private static double Value(string text, string name, params string[] labels)
    {
        var wanted = labels.Select(l => l.Split('=', 2)).Select(p => p[0] + "=\"" + p[1] + "\"").Order(StringComparer.Ordinal);
        foreach (var (metric, set, value) in Series(text))
        {
            if (metric == name && set.Order(StringComparer.Ordinal).SequenceEqual(wanted))
            {
                return value;
            }
        }
        return 0;
    }

    private static double Sum(string text, string name) => Series(text).Where(s => s.Name == name).Sum(s => s.Value);

    private static IEnumerable<(string Name, string[] Labels, double Value)> Series(string text)
    {
        foreach (Match match in SeriesLine().Matches(text))
        {
            var labels = match.Groups["labels"].Success ? match.Groups["labels"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
            yield return (match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"metrics listening on (?<url>\S+)")]
    private static partial Regex MetricsAddress();
}
