using System.Diagnostics;

namespace Postern.EndToEnd.ScaleOut;

/// <summary>
/// Users and access entries live in PostgreSQL: a change made with node a's configuration is what
/// node b answers within a second, through LISTEN/NOTIFY, without a reload.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class SharedUsersAndMapsTests(ScaleOutCluster cluster) : IClassFixture<ScaleOutCluster>
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_user_added_on_node_a_authenticates_on_node_b_within_a_second()
    {
        const string User = "erin";
        const string Password = "erin's long passphrase";
        // Node b has looked erin up and found no one (an answer it may cache).
        Assert.StartsWith("535", await ScaleOutClient.AuthPlainAsync(cluster.B.Submission, User, Password), StringComparison.Ordinal);

        var (code, output) = await cluster.A.RunWithInputAsync(Password + "\n", "user", "add", User);
        Assert.True(code == 0, output);
        var added = Stopwatch.StartNew();

        string reply;
        do
        {
            reply = await ScaleOutClient.AuthPlainAsync(cluster.B.Submission, User, Password);
        }
        while (!reply.StartsWith("235", StringComparison.Ordinal) && added.Elapsed < Propagation);
        Assert.True(reply.StartsWith("235", StringComparison.Ordinal),
            $"node b still answers {reply} {added.Elapsed.TotalMilliseconds:F0} ms after the user was added:\n{cluster.Logs()}");
        // And node a, whose configuration wrote it.
        Assert.StartsWith("235", await ScaleOutClient.AuthPlainAsync(cluster.A.Submission, User, Password), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_access_row_lets_a_certified_client_relay_through_both_nodes_and_its_removal_stops_it()
    {
        var (entryCode, entry) = await Binary.RunAsync("cert", "access-entry", cluster.Pki["client.pem"], "--subject");
        Assert.True(entryCode == 0, entry);
        var lines = entry.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("CERT", StringComparison.Ordinal)).Select(l => l.Split('\t')).ToList();
        var issuer = lines.Single(l => l[0].StartsWith("CERTISSUER:", StringComparison.Ordinal));
        var subject = lines.Single(l => l[0].StartsWith("CERTSUBJECT:", StringComparison.Ordinal));
        var recipient = "someone@" + ScaleOutCluster.RemoteDomain;

        // Before the rows: refused by both nodes (two sessions, round robin).
        await AssertRelayRefusedTwiceAsync(recipient, "before");

        foreach (var row in new[] { issuer, subject })
        {
            var (code, output) = await cluster.A.RunAsync("access", "add", row[0], row[1]);
            Assert.True(code == 0, output);
        }
        await Task.Delay(Propagation);
        var tokens = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var token = "relay-" + Guid.NewGuid().ToString("N");
            var (code, transcript) = await ScaleOutClient.SendWithCertificateAsync(cluster.Pki, cluster.Front, ScaleOutClient.Source(31 + i), "client", recipient, token);
            Assert.True(code == 0, transcript + "\n" + cluster.Logs());
            tokens.Add(token);
        }
        await WaitForSinkAsync(tokens, recipient);
        // Round robin: one session on each node, each relayed (its log line follows the sink's 250).
        foreach (var node in cluster.Nodes)
        {
            await node.Process.WaitForLogAsync(l => l.Contains($"to=<{recipient}>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10));
        }

        var (removeCode, removed) = await cluster.B.RunAsync("access", "remove", subject[0]);
        Assert.True(removeCode == 0, removed);
        await Task.Delay(Propagation);
        await AssertRelayRefusedTwiceAsync(recipient, "after");
        Assert.Equal(2, cluster.Sink.Delivered.Count(d => d.Recipient == recipient));
    }

    private async Task AssertRelayRefusedTwiceAsync(string recipient, string when)
    {
        var before = cluster.Sink.Delivered.Count;
        for (var i = 0; i < 2; i++)
        {
            var token = $"{when}-" + Guid.NewGuid().ToString("N");
            var (code, transcript) = await ScaleOutClient.SendWithCertificateAsync(cluster.Pki, cluster.Front, ScaleOutClient.Source(35 + i), "client", recipient, token);
            Assert.True(code != 0, $"relayed {when} the rows:\n{transcript}\n{cluster.Logs()}");
            Assert.Contains($"<~* 550 5.7.1 <{recipient}>: Relaying denied", transcript, StringComparison.Ordinal);
        }
        Assert.Equal(before, cluster.Sink.Delivered.Count);
    }

    private async Task WaitForSinkAsync(IEnumerable<string> tokens, string recipient)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!tokens.All(t => cluster.Sink.Delivered.Contains((t, recipient))))
        {
            Assert.True(DateTime.UtcNow < deadline, "the sink did not get every relayed message:\n" + cluster.Logs());
            await Task.Delay(50);
        }
    }
}
