using System.Globalization;

namespace Postern.EndToEnd;

/// <summary>
/// One listening address belongs to one daemon: a second `postern serve` on a port in use fails to
/// start and names the listener, while a restart right after a stop binds again (TIME_WAIT is no obstacle).
/// </summary>
public sealed class ListenerBindTests
{
    [Fact]
    public async Task A_second_daemon_on_the_same_port_fails_to_start_and_names_the_listener()
    {
        var first = await PosternProcess.StartAsync();
        var secondDir = PosternProcess.NewDataDir();
        try
        {
            var config = Path.Combine(secondDir, "postern.toml");
            await File.WriteAllTextAsync(config, OnPort(PosternProcess.Config(), first.Mta.Port));
            var (exitCode, output) = await RunBoundedAsync("serve", "--config", config, "--data-dir", secondDir);
            Assert.Equal(71, exitCode);
            Assert.Contains("listener mta (127.0.0.1:" + first.Mta.Port.ToString(CultureInfo.InvariantCulture) + "): address already in use", output, StringComparison.Ordinal);

            // The first daemon still has every connection.
            await using var client = await RawSmtpClient.ConnectAsync(first.Mta);
            Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await first.DisposeAsync();
            Directory.Delete(first.DataDir, recursive: true);
            Directory.Delete(secondDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_restart_right_after_a_stop_with_live_connections_binds_the_same_port()
    {
        var first = await PosternProcess.StartAsync();
        var port = first.Mta.Port;
        PosternProcess? second = null;
        try
        {
            // Live sessions when the daemon stops: it closes them first, which leaves its side in TIME_WAIT.
            var clients = new List<RawSmtpClient>();
            for (var i = 0; i < 3; i++)
            {
                var client = await RawSmtpClient.ConnectAsync(first.Mta);
                Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
                Assert.StartsWith("250", await client.CommandAsync("EHLO restart.test"), StringComparison.Ordinal);
                clients.Add(client);
            }
            first.Terminate();
            foreach (var client in clients)
            {
                Assert.StartsWith("421", await client.ReadReplyAsync(), StringComparison.Ordinal);
                await client.DisposeAsync();
            }
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), first.Log);

            second = await PosternProcess.StartAsync(OnPort(PosternProcess.Config(), port), first.DataDir);
            Assert.Equal(port, second.Mta.Port);
            await using var again = await RawSmtpClient.ConnectAsync(second.Mta);
            Assert.StartsWith("220", await again.ReadReplyAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
            Directory.Delete(first.DataDir, recursive: true);
        }
    }

    // A daemon that wrongly starts is stopped by its PID after the wait, and the test fails on its exit code.
    private static async Task<(int? ExitCode, string Output)> RunBoundedAsync(params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(Binary.StartInfo(arguments))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            return (null, "still running after 20 s: " + await stdout + await stderr);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    // The configuration's first listener (mta) on a fixed port; the others stay on free ones.
    private static string OnPort(string config, int port)
    {
        const string Free = "address = \"127.0.0.1:0\"";
        var at = config.IndexOf(Free, StringComparison.Ordinal);
        return config[..at] + "address = \"127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "\"" + config[(at + Free.Length)..];
    }
}
