using System.Globalization;

namespace Postern.EndToEnd;

/// <summary>A bracketed smart host named only in /etc/hosts (<c>[localhost]:PORT</c>) is found, as sendmail finds it.</summary>
public sealed class HostsFileNextHopTests
{
    [Fact]
    public async Task Mail_relays_to_a_bracketed_smart_host_from_the_hosts_file()
    {
        await using var sink = new SmtpSink(SinkOptions.PlainNextHop);
        var config = PosternConfig.Host("laptop.test")
            .WithListener("mta", "mta")
            .WithLocal(["laptop.test"], ["joe"])
            .WithSection("[policy]\nrelay_networks = [\"127.0.0.1/32\"]")
            .WithSection($"[delivery]\nsmarthost = \"[localhost]:{sink.Port.ToString(CultureInfo.InvariantCulture)}\"")
            .ToToml();
        var server = await PosternProcess.StartAsync(config, listeners: 1);
        try
        {
            var token = "hosts-" + Guid.NewGuid().ToString("N");
            await using (var client = await RawSmtpClient.ConnectAsync(server.Mta))
            {
                Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
                await client.CommandAsync("EHLO client.test");
                Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<joe@laptop.test>"), StringComparison.Ordinal);
                Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<someone@remote.example>"), StringComparison.Ordinal);
                Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
                Assert.StartsWith("250", await client.CommandAsync($"X-Token: {token}\r\nSubject: hosts file\r\n\r\nvia the hosts file\r\n."), StringComparison.Ordinal);
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!sink.Delivered.Contains((token, "someone@remote.example")))
            {
                Assert.True(DateTime.UtcNow < deadline, "the sink got nothing; postern log:\n" + server.Log);
                await Task.Delay(50);
            }
            Assert.DoesNotContain("no address records", server.Log, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }
}
