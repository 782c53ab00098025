using System.Text.RegularExpressions;

namespace Postern.EndToEnd;

/// <summary>
/// bench/run with tiny counts: it starts Postern, a private Postfix, a private chasquid, smtp-sink and
/// OpenDKIM, runs every workload, prints the whole table (server CPU per operation and the targets'
/// verdicts included) and cleans up. Asserts that it works, never how fast.
/// </summary>
public sealed class BenchSmokeTests
{
    // The quick run takes about a minute on an idle machine (three servers, both TLS clients) and
    // 8.5 min once on a machine at load 25; a first run also builds bench/LoadClient.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(900);

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
        "1 per message, c20, 4 KB (server CPU ms)",
        "1 per message, c100, 100 KB (server CPU ms)",
        "2 per message, sessions reused, c20, 4 KB (server CPU ms)",
        "2 per message, sessions reused, c100, 100 KB (server CPU ms)",
        "3 per session (server CPU ms)",
        "4 per handshake, starttls (server CPU ms)",
        "4 per handshake, implicit, resumed (server CPU ms)",
        "4 per handshake, starttls, resumed (load client CPU ms)",
        "4 asyncio client, handshakes/s, starttls",
        "4 asyncio client, handshakes/s, starttls, EHLO after TLS",
        "4 asyncio client, handshakes/s, implicit, resumed",
        "4 asyncio client (share resumed), starttls, EHLO after TLS",
        "4 asyncio client, per handshake, starttls (server CPU ms)",
        "4 asyncio client, per handshake, starttls, EHLO after TLS (server CPU ms)",
        "4 asyncio client, per handshake, starttls, resumed (server CPU ms)",
        "4 asyncio client, per handshake, implicit (server CPU ms)",
        "4 asyncio client, per handshake, implicit, resumed (load client CPU ms)",
        "5 end-to-end to smtp-sink, msgs/s",
        "5 per message, accept + relay (server CPU ms)",
        "6 at rest after start: server RSS MB",
        "6 at rest after start: anonymous memory MB",
        "6 idle: server RSS MB",
        "6 idle: new session while held, ms",
        "7 end-of-DATA to 250, p99 ms, at half saturation",
        "7 per message at half saturation (server CPU ms)",
        "8 accept c20 4 KB, no milter: server CPU ms/msg",
        "8 accept c20 4 KB, one milter (OpenDKIM): server CPU ms/msg",
        "8 (OpenDKIM's own CPU ms/msg, not the server's)",
        "9 sendmail -t, 4 KB, no daemon: wall ms/call",
        "9 sendmail -t, 4 KB, no daemon: CPU ms/call",
        "9 sendmail -t, 4 KB, no daemon: peak RSS MB",
        "10 deep queue: start until the first 220, s",
        "10 deep queue: RSS after start, MB",
        "10 deep queue: list (queue list / postqueue -p), s",
        "10 deep queue: one retry pass, s",
    ];

    // Rows chasquid serves: three figures each (Postern, Postfix, chasquid), not a missing one.
    private static readonly string[] ThreeServerRows =
    [
        "1 accept, session/msg, c20, 4 KB",
        "1 per message, c20, 4 KB (server CPU ms)",
        "3 per session (server CPU ms)",
        "4 per handshake, implicit, resumed (server CPU ms)",
        "4 asyncio client, per handshake, starttls, EHLO after TLS (server CPU ms)",
        "7 per message at half saturation (server CPU ms)",
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
        foreach (var row in ThreeServerRows)
        {
            var line = output.Split('\n').First(l => l.StartsWith(row + " ", StringComparison.Ordinal));
            Assert.True(Regex.Count(line[row.Length..], @"\d+\.\d+") >= 3, $"row \"{row}\" lacks a server's figure:\n{line}");
        }
        // Every target row ends in its verdict, and the count of verdicts is printed.
        Assert.Matches(@"targets: \d+ met, \d+ NOT met", output);
        Assert.Contains("total runtime:", output, StringComparison.Ordinal);
    }
}
