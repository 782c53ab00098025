namespace Postern.EndToEnd;

/// <summary>
/// Local submission by a user who cannot write the spool: `sendmail` run as nobody goes through the
/// maildrop, with the daemon running (picked up at once) and without it (picked up at its start).
/// </summary>
public sealed class SendmailMaildropTests
{
    private static async Task<(string DataDir, string ConfigPath)> PrepareAsync()
    {
        var dataDir = PosternProcess.NewDataDir();
        // As a package sets it up: others may pass through the data directory to the maildrop, and read the configuration.
        File.SetUnixFileMode(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var configPath = Path.Combine(dataDir, "postern.toml");
        await File.WriteAllTextAsync(configPath, PosternProcess.Config("aliases = \"aliases\"\n"));
        await File.WriteAllTextAsync(Path.Combine(dataDir, "aliases"), "team: alice, bob\n");
        File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(Path.Combine(dataDir, "aliases"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return (dataDir, configPath);
    }

    [Fact]
    public async Task A_user_without_access_to_the_spool_submits_through_the_maildrop_to_the_running_daemon()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            await using var server = await PosternProcess.StartAsync(null, dataDir);
            using var links = new SendmailLinks(configPath, dataDir);
            var token = Guid.NewGuid().ToString("N");

            var result = await links.RunAsNobodyAsync("sendmail", $"To: team\nSubject: {token}\n\nfrom nobody\n", "-t", "-v");

            Assert.True(result.Code == 0, SendmailLinks.Describe(result));
            Assert.Contains("handed to the daemon through the maildrop", result.Output, StringComparison.Ordinal);
            var alice = await server.WaitForMailAsync("alice", token);
            await server.WaitForMailAsync("bob", token);
            // The daemon names the submitter by the file's owner, as the kernel reports it.
            Assert.Contains("Received: from userid 65534 (nobody)", alice, StringComparison.Ordinal);
            Assert.Single(alice.Split("Received: ")[1..]);
            Assert.Contains("Return-Path: <nobody@localhost>", alice, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(dataDir, "maildrop")));

            var refused = await links.RunAsNobodyAsync("sendmail", "Subject: x\n\nx\n", "nosuchuser", "a%b@far.example");
            Assert.Equal(67, refused.Code);
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(dataDir, "maildrop")));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_submission_made_while_the_daemon_is_down_waits_in_the_maildrop_until_it_starts()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);
            var beforeFirstStart = await links.RunAsNobodyAsync("sendmail", "Subject: x\n\nx\n", "alice");
            // No maildrop yet (the daemon creates it): refused with a reason, never a lost message.
            Assert.True(beforeFirstStart.Code == 73, SendmailLinks.Describe(beforeFirstStart));
            Assert.Contains("maildrop", beforeFirstStart.Error, StringComparison.Ordinal);
            await (await PosternProcess.StartAsync(null, dataDir)).DisposeAsync();
            var token = Guid.NewGuid().ToString("N");

            var sent = await links.RunAsNobodyAsync("sendmail", $"Subject: {token}\n\nwhile down\n", "bob");

            Assert.True(sent.Code == 0, SendmailLinks.Describe(sent));
            Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "maildrop")));
            await using var server = await PosternProcess.StartAsync(null, dataDir);
            var mail = await server.WaitForMailAsync("bob", token);
            Assert.Contains("while down", mail, StringComparison.Ordinal);
            Assert.Contains("Received: from userid 65534 (nobody)", mail, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
