namespace Postern.EndToEnd.ScaleOut;

/// <summary>
/// docs/scale-out.md's HAProxy and Dovecot configurations are what Debian's haproxy and dovecot
/// accept, as written (the Postern part is loaded by the unit tier's ScaleOutExampleTests).
/// </summary>
public sealed class ScaleOutDocumentationTests : IDisposable
{
    private readonly string _directory = PosternProcess.NewDataDir();

    [Fact]
    public async Task The_haproxy_configuration_is_valid()
    {
        var file = Path.Combine(_directory, "haproxy.cfg");
        await File.WriteAllTextAsync(file, Block("### 3. HAProxy"));

        var (code, output) = await ExternalCommand.RunAsync("/usr/sbin/haproxy", "-c", "-f", file);

        Assert.True(code == 0, output);
        Assert.Contains("Configuration file is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dovecot_lmtp_configuration_is_valid()
    {
        // The page's block is a conf.d file: it extends the protocols of Debian's dovecot.conf.
        var file = Path.Combine(_directory, "dovecot.conf");
        await File.WriteAllTextAsync(file, "protocols = imap\n" + Block("### 2. Dovecot"));

        var (code, output) = await ExternalCommand.RunAsync("/usr/bin/doveconf", "-n", "-c", file);

        Assert.True(code == 0, output);
        Assert.Contains("protocols = imap lmtp", output, StringComparison.Ordinal);
        Assert.Contains("port = 24", output, StringComparison.Ordinal);
    }

    /// <summary>The first fenced block after <paramref name="heading"/>.</summary>
    private static string Block(string heading)
    {
        var page = File.ReadAllText(Repository.PathOf("docs", "scale-out.md"));
        var section = page.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(section >= 0, "docs/scale-out.md has no " + heading);
        var start = page.IndexOf("```", section, StringComparison.Ordinal);
        start = page.IndexOf('\n', start) + 1;
        return page[start..page.IndexOf("```", start, StringComparison.Ordinal)];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
