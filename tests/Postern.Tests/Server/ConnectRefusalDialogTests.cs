using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Server;

/// <summary>
/// A refusal at connect replaces the greeting, where RFC 5321 4.3.2 allows 554 (and 421, 3.8)
/// only: the access map's 550 or 451 keeps its enhanced code and text under 554 or 421, is logged
/// as sent, and the connection closes.
/// </summary>
public sealed class ConnectRefusalDialogTests
{
    [Theory]
    [InlineData(550, "5.7.1", "Access denied", "554 5.7.1 Access denied")]
    [InlineData(554, "5.7.1", "go away", "554 5.7.1 go away")]
    [InlineData(451, "4.7.1", "try later", "421 4.7.1 try later")]
    [InlineData(421, "4.3.2", "busy", "421 4.3.2 busy")]
    public async Task A_refusal_at_connect_is_sent_as_a_greeting_code_and_closes(int code, string status, string text, string expected)
    {
        var log = new CollectingLogger();
        var policy = new ScriptedPolicy { Connect = PolicyDecision.Reject(new SmtpReply(code, status, text), "Connect:127.0.0.1 REJECT") };
        await using var dialog = new DialogHarness(policy, log);

        Assert.Equal(expected, await dialog.ReadReplyAsync());
        Assert.True(await dialog.ServerClosedAsync());
        Assert.Contains(log.Messages, l => l.Contains("ruleset=check_relay", StringComparison.Ordinal) && l.Contains("reject=" + expected, StringComparison.Ordinal));
    }
}
