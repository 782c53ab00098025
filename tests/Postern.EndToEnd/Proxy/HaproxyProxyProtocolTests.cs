using System.Net;
using Postern.EndToEnd.Fixtures.Haproxy;

namespace Postern.EndToEnd.Proxy;

/// <summary>
/// The real postern behind a private HAProxy that sends PROXY headers (send-proxy-v2 and
/// send-proxy): clients connecting to HAProxy from 127.0.0.x are seen as 127.0.0.x by the mail
/// log, the Received header and the access map, while HAProxy itself connects from 127.0.0.1.
/// A direct connection to the proxy listener without a header, or from outside proxy_trusted, is
/// closed with one log line.
/// </summary>
public sealed class HaproxyProxyProtocolTests
{
    private const string ProxyKeys = "proxy_protocol = true\nproxy_trusted = [\"127.0.0.1/32\"]\nproxy_timeout = \"2s\"";

    private static string Config() =>
        PosternConfig.Host("localhost")
            .WithListener("mx", "mta", extra: ProxyKeys)
            .WithListener("msa", "msa")
            .WithLocal(["localhost"], ["user"])
            .ToToml() + "\n[policy]\naccess_map = \"access\"\n";

    private static async Task<PosternProcess> StartPosternAsync()
    {
        var dataDir = PosternProcess.NewDataDir();
        // The access map sees the client HAProxy names: this one is refused, the others are not.
        await File.WriteAllTextAsync(Path.Combine(dataDir, "access"), "Connect:127.0.0.66\tREJECT\n");
        return await PosternProcess.StartAsync(Config(), dataDir);
    }

    [Theory]
    [InlineData(SendProxy.V2, "127.0.0.7")]
    [InlineData(SendProxy.V1, "127.0.0.8")]
    public async Task Through_haproxy_the_log_and_received_header_name_the_real_client(SendProxy header, string clientAddress)
    {
        var server = await StartPosternAsync();
        try
        {
            await using var haproxy = await HaproxyServer.StartAsync([server.EndPoint("mx")], header);
            var client = IPAddress.Parse(clientAddress);
            var token = "proxied-" + Guid.NewGuid().ToString("N")[..8];

            await using (var smtp = await RawSmtpClient.ConnectAsync(haproxy.EndPoint, client))
            {
                Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
                Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
                Assert.StartsWith("250 ", await smtp.CommandAsync("MAIL FROM:<sender@example.org>"), StringComparison.Ordinal);
                Assert.StartsWith("250 ", await smtp.CommandAsync("RCPT TO:<user@localhost>"), StringComparison.Ordinal);
                Assert.StartsWith("354 ", await smtp.CommandAsync("DATA"), StringComparison.Ordinal);
                Assert.StartsWith("250 ", await smtp.CommandAsync("Subject: " + token + "\r\n\r\nthrough haproxy\r\n."), StringComparison.Ordinal);
                Assert.StartsWith("221 ", await smtp.CommandAsync("QUIT"), StringComparison.Ordinal);
            }

            var mail = await server.WaitForMailAsync("user", token);
            Assert.Contains("\r\nReceived: from client.test ([" + clientAddress + "])\r\n", mail, StringComparison.Ordinal);
            await server.WaitForLogAsync(l => l.Contains("connect from [" + clientAddress + "], daemon=mx", StringComparison.Ordinal));
            await server.WaitForLogAsync(l => l.Contains("relay=client.test [" + clientAddress + "]", StringComparison.Ordinal));
            Assert.DoesNotContain("connect from [127.0.0.1], daemon=mx", server.Log, StringComparison.Ordinal);

            // The access map's Connect: entry for another client refuses it at the greeting.
            await using (var refused = await RawSmtpClient.ConnectAsync(haproxy.EndPoint, IPAddress.Parse("127.0.0.66")))
            {
                Assert.StartsWith("554 ", await refused.ReadReplyAsync(), StringComparison.Ordinal);
            }
            await server.WaitForLogAsync(l => l.Contains("relay=[127.0.0.66]", StringComparison.Ordinal) && l.Contains("reject=", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Haproxy_health_checks_send_local_headers_and_keep_the_node_up()
    {
        var server = await StartPosternAsync();
        try
        {
            await using var haproxy = await HaproxyServer.StartAsync([server.EndPoint("mx")], SendProxy.V2, healthChecks: true);

            // The SMTP check comes with a v2 LOCAL header: the proxy's own address, greeted and answered.
            await server.WaitForLogAsync(l => l.Contains("connect from [127.0.0.1], daemon=mx", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            await using var smtp = await RawSmtpClient.ConnectAsync(haproxy.EndPoint, IPAddress.Parse("127.0.0.12"));
            Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("221 ", await smtp.CommandAsync("QUIT"), StringComparison.Ordinal);
            await server.WaitForLogAsync(l => l.Contains("connect from [127.0.0.12], daemon=mx", StringComparison.Ordinal));
            Assert.DoesNotContain("rejecting connection from [127.0.0.1]", server.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("DOWN", haproxy.Output, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Direct_connections_without_a_header_or_from_outside_proxy_trusted_are_closed()
    {
        var server = await StartPosternAsync();
        try
        {
            // From the trusted address, but speaking SMTP at once: closed at the first bytes.
            await using (var direct = await RawSmtpClient.ConnectAsync(server.EndPoint("mx")))
            {
                await direct.SendAsync("EHLO client.test\r\n");
                Assert.Null(await ReadOrClosedAsync(direct));
            }
            await server.WaitForLogAsync(l => l.Contains("rejecting connection from [127.0.0.1], daemon=mx: PROXY header: no PROXY header: the connection starts with \"EHLO", StringComparison.Ordinal));

            // From the trusted address, silent: closed at proxy_timeout.
            await using (var silent = await RawSmtpClient.ConnectAsync(server.EndPoint("mx")))
            {
                Assert.Null(await ReadOrClosedAsync(silent));
            }
            await server.WaitForLogAsync(l => l.Contains("rejecting connection from [127.0.0.1], daemon=mx: no PROXY header within 2s", StringComparison.Ordinal));

            // From outside proxy_trusted, even with a well-formed header: closed unheard.
            await using (var untrusted = await RawSmtpClient.ConnectAsync(server.EndPoint("mx"), IPAddress.Parse("127.0.0.9")))
            {
                await untrusted.SendAsync("PROXY TCP4 192.0.2.1 127.0.0.1 40000 25\r\n");
                Assert.Null(await ReadOrClosedAsync(untrusted));
            }
            await server.WaitForLogAsync(l => l.Contains("rejecting connection from [127.0.0.9], daemon=mx: not a trusted proxy (proxy_trusted)", StringComparison.Ordinal));

            // The other listener takes direct clients as before.
            await using var msa = await RawSmtpClient.ConnectAsync(server.Msa, IPAddress.Parse("127.0.0.9"));
            Assert.StartsWith("220 ", await msa.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("192.0.2.1", server.Log, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }

    /// <summary>The server's reply, or null when it closed (or reset) the connection instead.</summary>
    private static async Task<string?> ReadOrClosedAsync(RawSmtpClient client)
    {
        try
        {
            return await client.ReadReplyAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
