namespace Postern.EndToEnd;

/// <summary>
/// The commands any local user runs (mailq, sendmail, config check) as the unprivileged user nobody,
/// against a data directory laid out as a package sets it up: the spool and the TLS material 0700.
/// </summary>
public sealed class NonRootCommandTests
{
    private const UnixFileMode PassThrough = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static async Task<(string DataDir, string ConfigPath)> PrepareAsync(string extra = "")
    {
        var dataDir = PosternProcess.NewDataDir();
        File.SetUnixFileMode(dataDir, PassThrough);
        var configPath = Path.Combine(dataDir, "postern.toml");
        await WriteConfigAsync(configPath, extra);
        return (dataDir, configPath);
    }

    private static async Task WriteConfigAsync(string configPath, string extra)
    {
        await File.WriteAllTextAsync(configPath, PosternProcess.Config() + extra);
        File.SetUnixFileMode(configPath, Readable);
    }

    [Fact]
    public async Task Listing_a_queue_this_user_may_not_read_is_refused_with_permission_denied_not_shown_empty()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);
            // Root submits straight into the spool; with no daemon running the message stays queued.
            var queued = await links.RunAsync("sendmail", "Subject: queued\n\nwaiting\n", "-odq", "alice");
            Assert.True(queued.Code == 0, SendmailLinks.Describe(queued));
            var asRoot = await links.RunAsync("mailq", "");
            Assert.Contains("Total requests: 1", asRoot.Output, StringComparison.Ordinal);
            var spool = Path.Combine(dataDir, "spool");

            foreach (var (name, arguments) in new (string, string[])[] { ("mailq", []), ("sendmail", ["-bp"]), ("postern", ["queue", "list", "--config", configPath]) })
            {
                var listed = await links.RunAsNobodyAsync(name, "", arguments);

                Assert.True(listed.Code == 77, name + ": " + SendmailLinks.Describe(listed));
                Assert.DoesNotContain("empty", listed.Output, StringComparison.OrdinalIgnoreCase);
                Assert.Contains($"{spool}: permission denied", listed.Error, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Local_submission_does_not_need_the_servers_TLS_files_and_config_check_names_them_unreadable()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);
            // Where `postern cert` writes them: a directory only root may enter.
            var secrets = Path.Combine(dataDir, "private");
            var made = await links.RunAsync("postern", "", "cert", "selfsigned", "--host", "localhost", "--dir", secrets, "--config", configPath);
            Assert.True(made.Code == 0, SendmailLinks.Describe(made));
            File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var certificate = Path.Combine(secrets, "server.pem");
            await WriteConfigAsync(configPath, $"\n[tls]\nserver_cert = \"{certificate}\"\nserver_key = \"{Path.Combine(secrets, "server.key")}\"\n");
            // The daemon (root) reads them, and creates the maildrop.
            await using var server = await PosternProcess.StartAsync(null, dataDir);
            var token = Guid.NewGuid().ToString("N");

            var sent = await links.RunAsNobodyAsync("sendmail", $"Subject: {token}\n\nthrough the maildrop\n", "alice");

            Assert.True(sent.Code == 0, SendmailLinks.Describe(sent));
            Assert.Contains("through the maildrop", await server.WaitForMailAsync("alice", token), StringComparison.Ordinal);

            var check = await links.RunAsNobodyAsync("postern", "", "config", "check", "--config", configPath);

            Assert.True(check.Code == 78, SendmailLinks.Describe(check));
            Assert.Contains($"permission denied: {certificate}", check.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("no such file", check.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
