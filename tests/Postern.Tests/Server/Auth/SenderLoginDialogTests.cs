using Microsoft.Extensions.Time.Testing;
using Postern.Policy;
using Postern.Policy.Auth;
using Postern.Tests.Pki.Tls;
using static Postern.Tests.Server.Auth.AuthDialog;

namespace Postern.Tests.Server.Auth;

/// <summary>The sender login map's refusal, now a restriction, still reads in the mail log as the session's own check did.</summary>
public sealed class SenderLoginDialogTests
{
    [Fact]
    public async Task A_mismatch_is_logged_with_the_check_mail_ruleset_and_the_login()
    {
        var map = SenderLoginMap.Parse("alice@example.org alice\n", "logins");
        var options = Options(new() { PlaintextRequiresTls = false, Mechanisms = ["PLAIN"], TrustedMechanisms = [] });
        var clock = new FakeTimeProvider();
        var auth = Services(options, clock);
        var policy = new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions(), senderLogins: () => map);
        var log = new CollectingLogger();
        await using var dialog = await DialogHarness.ConnectAsync(options, clock: clock, configure: s => s with { Auth = auth, Policy = policy, Logger = log });
        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250-");
        // An untrusted mechanism still binds the login to its senders, as before.
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235");

        await dialog.SendAndExpectAsync("MAIL FROM:<bob@example.org>\r\n", "553 5.7.1 <bob@example.org>: Sender address rejected: not owned by user alice");

        Assert.Contains(
            "ruleset=check_mail, arg1=<bob@example.org>, relay=[127.0.0.1], reject=553 5.7.1 <bob@example.org>: Sender address rejected: not owned by user alice, reason=sender login mismatch: authid=alice",
            log.Messages);
    }
}
