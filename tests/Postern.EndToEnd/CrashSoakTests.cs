using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Postern.EndToEnd;

/// <summary>
/// bench/soak, short: two kill -9 trials of the daemon under parallel load (local delivery and
/// relaying to a sink), each restarted and drained. No acknowledged message may be missing, none
/// delivered twice by one process, none delivered that the client never finished sending, no spool
/// file corrupt. The 20-trial run is in docs/operations.md.
/// </summary>
public sealed partial class CrashSoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_kill_9_trials_under_load_lose_no_acknowledged_message()
    {
        var script = Path.Combine(Repository.Root, "bench", "soak");
        Assert.True(File.Exists(script), script + " is missing");

        var (code, text) = await BoundedScript.RunAsync(
            Bound, "python3", script, "--trials", "2", "--sessions", "6", "--load-min", "1", "--load-max", "2", "--drain-seconds", "20", "--postern", Binary.Path);
        output.WriteLine(text);

        Assert.True(code == 0, $"bench/soak exited {code}:\n{text}");
        var total = TotalLine().Match(text);
        Assert.True(total.Success, "no total line in:\n" + text);
        Assert.Equal("0", total.Groups["missing"].Value);
        Assert.Equal("0", total.Groups["local"].Value);
        Assert.Equal("0", total.Groups["same"].Value);
        Assert.Equal("0", total.Groups["unfinished"].Value);
        Assert.Equal("0", total.Groups["corrupt"].Value);
        Assert.True(int.Parse(total.Groups["acked"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, text);
    }

    [GeneratedRegex(@"^total: trials 2, acknowledged messages (?<acked>\d+) .*, missing (?<missing>\d+), duplicated local (?<local>\d+), duplicated relay same life (?<same>\d+), .*, delivered unfinished (?<unfinished>\d+), corrupt (?<corrupt>\d+), every trial drained yes, .*: PASS$", RegexOptions.Multiline)]
    private static partial Regex TotalLine();
}
