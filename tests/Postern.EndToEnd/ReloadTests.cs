using System.Globalization;

namespace Postern.EndToEnd;

/// <summary>SIGHUP reloads the maps of a running daemon, also one started under nohup, and the log names each file.</summary>
public sealed class ReloadTests
{
    [Fact]
    public async Task Sighup_reloads_the_access_map_of_a_daemon_started_under_nohup_and_names_the_files()
    {
        var dataDir = PosternProcess.NewDataDir();
        var accessFile = Path.Combine(dataDir, "access");
        var loginsFile = Path.Combine(dataDir, "sender_logins");
        await File.WriteAllTextAsync(accessFile, "# nothing refused yet\n");
        await File.WriteAllTextAsync(loginsFile, "joe@localhost\tjoe\n");
        var config = PosternProcess.Config($"""

            [policy]
            access_map = "access"

            [auth]
            sender_login_map = "sender_logins"
            """);
        var server = await PosternProcess.StartUnderNohupAsync(config, dataDir);
        try
        {
            var status = await File.ReadAllTextAsync($"/proc/{server.ProcessId.ToString(CultureInfo.InvariantCulture)}/status");
            var ignored = status.Split('\n').Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            Assert.True(await GreetingAsync(server) is { } before && before.StartsWith("220 ", StringComparison.Ordinal), "before the reload: " + server.Log);

            await File.AppendAllTextAsync(accessFile, "Connect:127.0.0.1\tREJECT\n");
            server.Hangup();
            await server.WaitForLogAsync(l => l.Contains("reloaded access map " + accessFile, StringComparison.Ordinal));
            await server.WaitForLogAsync(l => l.Contains("reloaded sender login map " + loginsFile, StringComparison.Ordinal));
            await server.WaitForLogAsync(l => l.Contains("reloaded local users and aliases", StringComparison.Ordinal));

            Assert.Equal("554 5.7.1 Access denied", await GreetingAsync(server));
            Assert.False(server.HasExited, ignored + "\n" + server.Log);
            Assert.Contains("SIGHUP was ignored when the daemon started", server.Log, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<string?> GreetingAsync(PosternProcess server)
    {
        await using var client = await RawSmtpClient.ConnectAsync(server.Mta);
        return await client.ReadReplyAsync();
    }
}
