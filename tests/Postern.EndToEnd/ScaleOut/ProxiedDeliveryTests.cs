using System.Net;

namespace Postern.EndToEnd.ScaleOut;

/// <summary>
/// Mail through HAProxy (send-proxy-v2) from clients at 127.0.0.x reaches Dovecot over LMTP, and
/// both nodes see the clients' real addresses: in the mail log and in the Received header. A
/// connection that skips HAProxy is not served.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class ProxiedDeliveryTests(ScaleOutCluster cluster) : IClassFixture<ScaleOutCluster>
{
    [Fact]
    public async Task Mail_from_127_0_0_x_through_haproxy_reaches_dovecot_with_the_client_address_on_each_node()
    {
        var sent = new List<(IPAddress Source, string MessageId)>();
        for (var n = 21; n <= 24; n++)
        {
            var source = ScaleOutClient.Source(n);
            var messageId = $"<proxied-{n}-{Guid.NewGuid():N}@client.scaleout.test>";
            var (accepted, transcript) = await ScaleOutClient.SendAsync(cluster.Front, source, ScaleOutCluster.Mailbox, messageId);
            Assert.True(accepted, transcript + "\n" + cluster.Logs());
            sent.Add((source, messageId));
        }

        foreach (var (source, messageId) in sent)
        {
            var message = await cluster.Dovecot.WaitForMessageAsync(ScaleOutCluster.Mailbox, messageId, TimeSpan.FromSeconds(30));
            Assert.Contains($"([{source}])", message, StringComparison.Ordinal);
            Assert.Contains("(Postern) with ESMTP", message, StringComparison.Ordinal);
        }
        // Round robin: each node had two of the four sessions, and its mail log gives each message
        // the client's own address, never HAProxy's.
        foreach (var node in cluster.Nodes)
        {
            var queued = node.Log.Split('\n').Where(l => l.Contains("from=<sender@client.scaleout.test>", StringComparison.Ordinal)).ToList();
            Assert.True(queued.Count >= 1, $"node {node.Name} queued none of the messages:\n{cluster.Logs()}");
            Assert.All(queued, line => Assert.DoesNotContain("[127.0.0.1]", line, StringComparison.Ordinal));
            Assert.All(queued, line => Assert.Contains(sent, s => line.Contains($"[{s.Source}]", StringComparison.Ordinal)));
        }
        Assert.All(sent, s => Assert.Contains($"[{s.Source}]", cluster.Logs(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_to_a_node_without_a_proxy_header_gets_no_greeting()
    {
        await using var client = await RawSmtpClient.ConnectAsync(cluster.A.Mx, ScaleOutClient.Source(25));
        // The node waits for the header; the client, as SMTP clients do, waits for a greeting: the
        // node's header deadline closes the connection without one.
        var reply = await client.ReadReplyAsync(TimeSpan.FromSeconds(15));
        Assert.Null(reply);
    }
}
