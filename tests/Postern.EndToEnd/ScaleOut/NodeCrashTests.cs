using System.Globalization;
using Xunit.Abstractions;

namespace Postern.EndToEnd.ScaleOut;

/// <summary>
/// kill -9 of one node under bounded load through HAProxy: new sessions go to the other node, and
/// after the killed node starts again on its data directory every message either node acknowledged
/// is in Dovecot exactly once. The one copy too many SMTP allows, an LMTP delivery the killed process
/// finished just before the kill and its restart made again (its journal line was not yet written),
/// is told apart by the files' times, and counted, as bench/soak counts it, not failed.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class NodeCrashTests(ScaleOutCluster cluster, ITestOutputHelper output) : IClassFixture<ScaleOutCluster>
{
    private const int WarmMessages = 40;
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Kill_9_of_one_node_under_load_loses_no_acknowledged_message_and_delivers_each_once()
    {
        var load = new ScaleOutLoad(cluster.Front, [.. Enumerable.Range(51, 4).Select(ScaleOutClient.Source)],
            "sender@client.scaleout.test", ScaleOutCluster.Mailbox, maxMessages: 2000);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);

        // Killed once the load is flowing through both nodes (bounded).
        var warm = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (load.Acknowledged.Count < WarmMessages && DateTime.UtcNow < warm)
        {
            await Task.Delay(50);
        }
        var killedAt = DateTime.UtcNow;
        await cluster.A.KillAsync();
        await cluster.Proxy.WaitForServerDownAsync("a", TimeSpan.FromSeconds(5));
        await Task.Delay(AfterKill);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        var acknowledged = load.Acknowledged;
        var afterKill = acknowledged.Count(a => a.Value > killedAt + TimeSpan.FromSeconds(2));
        output.WriteLine($"acknowledged {acknowledged.Count}, after the kill {afterKill}, failed sessions {load.Failures}");
        Assert.True(acknowledged.Any(a => a.Value < killedAt), "nothing acknowledged before the kill:\n" + cluster.Logs());
        // HAProxy marked node a down (two checks 500 ms apart) and sent the new sessions to node b.
        Assert.True(afterKill > 0, $"nothing acknowledged after the kill ({load.Failures} sessions failed):\n{cluster.Logs()}");

        var restartedAt = DateTime.UtcNow;
        await cluster.A.RestartAsync();
        await cluster.Proxy.WaitForServerUpAsync("a", TimeSpan.FromSeconds(30));

        var copies = await WaitForAllAsync(acknowledged.Keys);
        var missing = acknowledged.Keys.Where(id => !copies.ContainsKey(id)).ToList();
        var duplicated = copies.Where(c => acknowledged.ContainsKey(c.Key) && c.Value.Count > 1).ToList();
        // Across the kill: one copy written before the kill (by the killed process), the others after its restart.
        var acrossKill = duplicated.Where(d => d.Value.Count == 2
            && d.Value.Count(f => f.LastWriteTimeUtc <= killedAt + TimeSpan.FromMilliseconds(100)) == 1
            && d.Value.Count(f => f.LastWriteTimeUtc >= restartedAt) == 1).ToList();
        output.WriteLine($"missing {missing.Count}, duplicated {duplicated.Count}, of which redelivered across the kill {acrossKill.Count}");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages are not in Dovecot, e.g. {string.Join(", ", missing.Take(5))}:\n{cluster.Logs()}");
        Assert.True(duplicated.Count == acrossKill.Count,
            $"delivered more than once, not across the kill: {string.Join(", ", duplicated.Except(acrossKill).Take(5).Select(d => d.Key + " x" + d.Value.Count.ToString(CultureInfo.InvariantCulture)))}");
    }

    /// <summary>Waits (bounded) until Dovecot holds every one of <paramref name="messageIds"/>; returns what it holds.</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<FileInfo>>> WaitForAllAsync(IEnumerable<string> messageIds)
    {
        var wanted = messageIds.ToList();
        var deadline = DateTime.UtcNow + Drain;
        while (true)
        {
            var copies = await MaildirMessageIds.ReadAsync(cluster.Dovecot.MaildirOf(ScaleOutCluster.Mailbox));
            if (wanted.All(copies.ContainsKey) || DateTime.UtcNow > deadline)
            {
                return copies;
            }
            await Task.Delay(250);
        }
    }
}
