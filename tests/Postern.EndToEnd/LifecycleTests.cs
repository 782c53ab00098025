namespace Postern.EndToEnd;

/// <summary>Starting, refusing to start, connection limits and graceful shutdown of the real binary.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Sigterm_lets_a_message_in_data_finish_then_exits_cleanly()
    {
        var server = await PosternProcess.StartAsync();
        try
        {
            await using var client = await RawSmtpClient.ConnectAsync(server.Mta);
            await client.ReadReplyAsync();
            await client.CommandAsync("EHLO term.test");
            await client.CommandAsync("MAIL FROM:<a@example.org>");
            await client.CommandAsync("RCPT TO:<user@localhost>");
            Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
            await client.SendAsync("Subject: sigterm-token\r\n\r\nfirst half\r\n");
            server.Terminate();
            await server.WaitForLogAsync(l => l.Contains("stopped listening", StringComparison.Ordinal));
            await client.SendAsync("second half\r\n.\r\n");
            Assert.StartsWith("250 2.0.0 Ok: queued", await client.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("421 4.3.2", await client.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), server.Log);
            Assert.Equal(0, server.ExitCode);
            await server.DisposeAsync();

            // Delivered before the exit or, at the latest, after the next start.
            server = await PosternProcess.StartAsync(dataDir: server.DataDir);
            Assert.Contains("second half", await server.WaitForMailAsync("user", "sigterm-token"), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Connections_over_the_per_address_limit_get_421()
    {
        var server = await PosternProcess.StartAsync(PosternProcess.Config("[limits]\nmax_connections_per_ip = 2\n"));
        try
        {
            await using var first = await RawSmtpClient.ConnectAsync(server.Mta);
            await using var second = await RawSmtpClient.ConnectAsync(server.Msa);
            Assert.StartsWith("220", await first.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("220", await second.ReadReplyAsync(), StringComparison.Ordinal);
            await using var third = await RawSmtpClient.ConnectAsync(server.Mta);
            Assert.StartsWith("421 4.7.0", await third.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.Null(await third.ReadReplyAsync());
            Assert.StartsWith("221", await first.CommandAsync("QUIT"), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }

    [Fact]
    public async Task An_invalid_config_stops_the_server_from_starting_and_names_the_line()
    {
        var dir = PosternProcess.NewDataDir();
        try
        {
            var config = Path.Combine(dir, "bad.toml");
            var text = PosternProcess.Config("[limits]\nmax_recipients = \"many\"\n");
            await File.WriteAllTextAsync(config, text);
            var line = Array.FindIndex(text.Split('\n'), l => l.StartsWith("max_recipients", StringComparison.Ordinal)) + 1;
            var (exitCode, output) = await Binary.RunAsync("serve", "--config", config, "--data-dir", dir);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("bad.toml:" + line.ToString(System.Globalization.CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
            Assert.Contains("limits.max_recipients", output, StringComparison.Ordinal);

            var (checkCode, checkOutput) = await Binary.RunAsync("config", "check", "--config", config);
            Assert.NotEqual(0, checkCode);
            Assert.Contains("limits.max_recipients", checkOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Config_check_accepts_a_valid_file_and_the_embedded_default()
    {
        var dir = PosternProcess.NewDataDir();
        try
        {
            var config = Path.Combine(dir, "good.toml");
            await File.WriteAllTextAsync(config, PosternProcess.Config());
            var (code, output) = await Binary.RunAsync("config", "check", "--config", config);
            Assert.True(code == 0, output);
            var (defaultCode, defaultOutput) = await Binary.RunAsync("config", "check");
            Assert.True(defaultCode == 0, defaultOutput);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
