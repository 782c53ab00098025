using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// One seed's section of docs/migrating-from-sendmail.md, run as written: every command is first
/// looked up in the section (so the doc and the test cannot drift apart), then run by /bin/sh in a
/// temp directory that is also <c>$POSTERN_HOME</c>, with <c>postern</c> and <c>sendmail</c> on the
/// PATH as links to the built binary. Only the substitutions the doc announces (free loopback
/// ports instead of 25/465/587) are applied before running.
/// </summary>
public sealed partial class SeedWalk : IAsyncDisposable
{
    private readonly List<PosternProcess> _servers = [];
    private readonly List<(string From, string To)> _substitutions = [];
    private readonly string _bin;

    public SeedWalk(string heading)
    {
        var doc = File.ReadAllText(DocPath).ReplaceLineEndings("\n");
        var start = doc.IndexOf("\n### " + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/migrating-from-sendmail.md has no section '### " + heading + "'");
        var end = doc.IndexOf("\n### ", start + 5, StringComparison.Ordinal);
        Section = doc[start..(end < 0 ? doc.Length : end)];
        // A command continued over lines with a backslash is one command.
        Commands = ContinuedLine().Replace(Section, " ");
        Directory = PosternProcess.NewDataDir();
        _bin = Path.Combine(Directory, ".bin");
        System.IO.Directory.CreateDirectory(_bin);
        File.CreateSymbolicLink(Path.Combine(_bin, "postern"), Binary.Path);
        File.CreateSymbolicLink(Path.Combine(_bin, "sendmail"), Binary.Path);
    }

    /// <summary>The section's text.</summary>
    public string Section { get; }

    /// <summary>The section with backslash-continued lines joined.</summary>
    public string Commands { get; }

    /// <summary>The working directory and data directory (/var/lib/postern in the doc).</summary>
    public string Directory { get; }

    /// <summary>The environment variable PASS for the commands that read a password from stdin.</summary>
    public string Password { get; } = "Walk-" + Guid.NewGuid().ToString("N")[..10];

    public string this[string relative] => Path.Combine(Directory, relative);

    private static string DocPath => Path.Combine(Repository.Root, "docs", "migrating-from-sendmail.md");

    /// <summary>From now on <paramref name="from"/> is replaced by <paramref name="to"/> in the commands run (a port the doc names).</summary>
    public void Substitute(string from, string to) => _substitutions.Add((from, to));

    /// <summary>The <paramref name="index"/>-th ```toml block of the section.</summary>
    public string Toml(int index)
    {
        var blocks = TomlBlock().Matches(Section);
        Assert.True(blocks.Count > index, "the section has no toml block " + index.ToString(CultureInfo.InvariantCulture));
        return blocks[index].Groups["body"].Value;
    }

    /// <summary>Asserts the doc shows <paramref name="command"/>, then runs it (with the substitutions) in <see cref="Directory"/>.</summary>
    public async Task<(int Code, string Output)> RunAsync(string command)
    {
        Assert.True(Commands.Contains(command, StringComparison.Ordinal), "the doc section does not show the command: " + command);
        var line = _substitutions.Aggregate(command, (text, s) => text.Replace(s.From, s.To, StringComparison.Ordinal));
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(line);
        info.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        info.Environment["POSTERN_HOME"] = Directory;
        info.Environment["PASS"] = Password;
        info.Environment.Remove("POSTERN_CONFIG");
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{line} did not finish in 90 s:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, $"$ {line}\nexit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}\n{await stdout}\n{await stderr}");
    }

    /// <summary>Runs <paramref name="command"/> and asserts it exits with <paramref name="expected"/>; returns its output.</summary>
    public async Task<string> ExpectAsync(string command, int expected = 0)
    {
        var (code, output) = await RunAsync(command);
        Assert.True(code == expected, output);
        return output;
    }

    /// <summary>
    /// Writes <paramref name="config"/> (a toml block of the doc, with the test's addresses) as
    /// postern.toml and runs the doc's <paramref name="command"/> (<c>postern serve --config postern.toml</c>).
    /// </summary>
    public async Task<PosternProcess> ServeAsync(string command, string config, int listeners)
    {
        Assert.True(Commands.Contains(command, StringComparison.Ordinal), "the doc section does not show the command: " + command);
        Assert.Equal("postern serve --config postern.toml", command);
        await File.WriteAllTextAsync(this["postern.toml"], config);
        var server = await PosternProcess.StartAsync(null, Directory, listeners);
        _servers.Add(server);
        return server;
    }

    [GeneratedRegex(@" *\\\n\s*")]
    private static partial Regex ContinuedLine();

    [GeneratedRegex(@"```toml\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex TomlBlock();

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
