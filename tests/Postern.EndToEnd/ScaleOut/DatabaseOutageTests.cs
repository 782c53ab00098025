namespace Postern.EndToEnd.ScaleOut;

/// <summary>
/// PostgreSQL stopped under a running cluster: what needs a lookup gets 4.3.0 (421 at the greeting,
/// 451 at a later stage; a cached
/// answer from before is not trusted: the nodes drop their caches when the database goes away),
/// nothing relays, no one authenticates. Started again: both nodes carry on by themselves, without a
/// restart or a reload (the same processes).
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class DatabaseOutageTests(ScaleOutCluster cluster) : IClassFixture<ScaleOutCluster>
{
    private const string User = "frank";
    private const string Password = "frank's long passphrase";
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    // The access map is consulted from the connect stage on (the client's address): its failure
    // there is the greeting's 421 and the session ends; at a later stage it is 451.
    private const string LookupFailure = @"4[25]1 4\.3\.0 Temporary lookup failure";

    [Fact]
    public async Task With_the_database_stopped_lookups_answer_451_and_nothing_relays_then_service_resumes()
    {
        var recipient = "someone@" + ScaleOutCluster.RemoteDomain;
        var (userCode, userOutput) = await cluster.A.RunWithInputAsync(Password + "\n", "user", "add", User);
        Assert.True(userCode == 0, userOutput);
        var (entryCode, entry) = await cluster.A.RunAsync("cert", "access-entry", cluster.Pki["client.pem"], "--apply");
        Assert.True(entryCode == 0, entry);
        var processes = cluster.Nodes.Select(n => n.Process.ProcessId).ToList();

        // Everything works, and each node has the answers in its cache.
        await AssertServedAsync(recipient, "warm");

        await cluster.Database.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var sinkBefore = cluster.Sink.Delivered.Count;
        for (var i = 0; i < 2; i++)
        {
            var (accepted, transcript) = await ScaleOutClient.SendAsync(cluster.Front, ScaleOutClient.Source(41 + i), ScaleOutCluster.Mailbox, $"<outage-{Guid.NewGuid():N}@client.scaleout.test>");
            Assert.False(accepted, transcript);
            Assert.Matches(LookupFailure, transcript);

            var (code, relayTranscript) = await ScaleOutClient.SendWithCertificateAsync(cluster.Pki, cluster.Front, ScaleOutClient.Source(43 + i), "client", recipient, "outage-" + Guid.NewGuid().ToString("N"));
            Assert.True(code != 0, "relayed with the database stopped:\n" + relayTranscript + "\n" + cluster.Logs());
            Assert.Matches(LookupFailure, relayTranscript);
            Assert.DoesNotContain(" 250 2.0.0 Ok: queued", relayTranscript, StringComparison.Ordinal);
        }
        foreach (var node in cluster.Nodes)
        {
            Assert.DoesNotMatch("^235", await ScaleOutClient.AuthPlainAsync(node.Submission, User, Password));
            Assert.DoesNotContain("Password=", node.Log, StringComparison.OrdinalIgnoreCase);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(sinkBefore, cluster.Sink.Delivered.Count);

        await cluster.Database.StartAsync();
        await AssertServedAsync(recipient, "resumed", Recovery);
        Assert.Equal(processes, cluster.Nodes.Select(n => n.Process.ProcessId));
        Assert.All(cluster.Nodes, n => Assert.False(n.Process.HasExited));
    }

    /// <summary>
    /// Through both nodes (two sessions each kind, round robin): a message to a virtual mailbox
    /// reaches Dovecot, the certified client relays, the user authenticates on each node. Within
    /// <paramref name="wait"/>, retried, when the database has just come back.
    /// </summary>
    private async Task AssertServedAsync(string recipient, string label, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.Zero);
        for (var i = 0; i < 2; i++)
        {
            var messageId = $"<{label}-{i}-{Guid.NewGuid():N}@client.scaleout.test>";
            var (accepted, transcript) = await ScaleOutClient.SendAsync(cluster.Front, ScaleOutClient.Source(45 + i), ScaleOutCluster.Mailbox, messageId);
            while (!accepted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
                (accepted, transcript) = await ScaleOutClient.SendAsync(cluster.Front, ScaleOutClient.Source(45 + i), ScaleOutCluster.Mailbox, messageId);
            }
            Assert.True(accepted, $"{label}:\n{transcript}\n{cluster.Database.Log()}\n{cluster.Logs()}");
            await cluster.Dovecot.WaitForMessageAsync(ScaleOutCluster.Mailbox, messageId, TimeSpan.FromSeconds(30));

            var token = $"{label}-" + Guid.NewGuid().ToString("N");
            var (code, relayTranscript) = await ScaleOutClient.SendWithCertificateAsync(cluster.Pki, cluster.Front, ScaleOutClient.Source(47 + i), "client", recipient, token);
            Assert.True(code == 0, $"{label}:\n{relayTranscript}\n{cluster.Logs()}");
            var sinkDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!cluster.Sink.Delivered.Contains((token, recipient)))
            {
                Assert.True(DateTime.UtcNow < sinkDeadline, $"{label}: the sink did not get {token}:\n{cluster.Logs()}");
                await Task.Delay(50);
            }
        }
        foreach (var node in cluster.Nodes)
        {
            Assert.StartsWith("235", await ScaleOutClient.AuthPlainAsync(node.Submission, User, Password), StringComparison.Ordinal);
        }
    }
}
