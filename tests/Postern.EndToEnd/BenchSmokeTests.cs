namespace Postern.EndToEnd;

/// <summary>
/// bench/run with tiny counts: it starts Postern, a private Postfix, smtp-sink and OpenDKIM, runs every
/// workload, prints the whole table and cleans up. Asserts that it works, never how fast.
/// </summary>
public sealed class BenchSmokeTests
{
    // The quick run takes ~30 s; a first run also builds bench/LoadClient, slow on a loaded machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(300);

    private static readonly string[] Rows =
    [
        "0 baseline smtp-source -> smtp-sink, session/msg",
        "0 baseline smtp-source -> smtp-sink, sessions reused",
        "1 accept, session/msg, c20, 4 KB",
        "1 accept, session/msg, c100, 100 KB",
        "2 accept, sessions reused, c20, 4 KB",
        "2 accept, sessions reused, c100, 100 KB",
        "3 STARTTLS full sessions/s, c20",
        "4 TLS handshakes/s, starttls",
        "4 TLS handshakes/s, starttls, resumed",
        "4 TLS handshakes/s, implicit",
        "4 TLS handshakes/s, implicit, resumed",
        "4 (share resumed), implicit",
        "3 per session (server CPU ms)",
        "4 per handshake, starttls, resumed (load client CPU ms)",
        "5 end-to-end to smtp-sink, msgs/s",
        "6 idle: server RSS MB",
        "6 idle: new session while held, ms",
        "7 end-of-DATA to 250, p99 ms, at half saturation",
        "8 accept c20 4 KB, no milter: server CPU ms/msg",
        "8 accept c20 4 KB, one milter (OpenDKIM): server CPU ms/msg",
        "8 (OpenDKIM's own CPU ms/msg, not the server's)",
        "9 sendmail -t, 4 KB, no daemon: wall ms/call",
        "9 sendmail -t, 4 KB, no daemon: CPU ms/call",
        "9 sendmail -t, 4 KB, no daemon: peak RSS MB",
    ];

    [Fact]
    public async Task Bench_run_quick_prints_every_row_and_exits_0()
    {
        var script = Path.Combine(Repository.Root, "bench", "run");
        Assert.True(File.Exists(script), script + " is missing");

        var (code, output) = await BoundedScript.RunAsync(Bound, "bash", script, "--quick", "--no-install", "--postern", Binary.Path);

        Assert.True(code == 0, $"bench/run exited {code}:\n{output}");
        foreach (var row in Rows)
        {
            // Each row has its label and two figures (or one for the baseline), none of them missing.
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(row + " ", StringComparison.Ordinal));
            Assert.True(line is not null, $"no row \"{row}\" in:\n{output}");
            Assert.Matches(@"\d+\.\d+", line);
        }
        Assert.Contains("total runtime:", output, StringComparison.Ordinal);
    }
}
