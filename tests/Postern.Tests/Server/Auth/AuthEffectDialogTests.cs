using Microsoft.Extensions.Time.Testing;
using Postern.Policy;
using Postern.Policy.Auth;
using Postern.Server.Options;
using static Postern.Tests.Server.Auth.AuthDialog;

namespace Postern.Tests.Server.Auth;

/// <summary>
/// What a successful or failed AUTH changes where a script cannot say it: sender binding through a login map
/// and the failure limit across sessions. The rest are scripts in tests/Postern.Tests/Dialogs (auth-*.dialog).
/// </summary>
public sealed class AuthEffectDialogTests
{
    private static readonly AuthOptions Plaintext = new()
    {
        PlaintextRequiresTls = false,
        Mechanisms = ["SCRAM-SHA-256", "PLAIN", "LOGIN"],
        TrustedMechanisms = ["SCRAM-SHA-256"],
    };

    private static async Task ScramAsync(DialogHarness dialog, string user = "alice", string password = "secret")
    {
        await dialog.SendAndExpectAsync("AUTH SCRAM-SHA-256 " + B64("hello") + "\r\n", "334 " + B64("challenge"));
        await dialog.SendAndExpectAsync(B64(user + ":" + password) + "\r\n", "334 " + B64("v=final"));
        await dialog.SendAndExpectAsync("\r\n", "235 2.7.0 Authentication successful");
    }

    [Fact]
    public async Task Sender_login_map_binds_senders_to_the_authenticated_user()
    {
        var map = SenderLoginMap.Parse("alice@example.org alice\n@example.net alice, bob\n", "logins");
        var options = Options(Plaintext);
        var clock = new FakeTimeProvider();
        var auth = Services(options, clock);
        // The map is policy's: reject_sender_login_mismatch heads the sender restrictions.
        var policy = new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions(), senderLogins: () => map);
        await using var dialog = await DialogHarness.ConnectAsync(options, clock: clock, configure: s => s with { Auth = auth, Policy = policy });
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        // Not authenticated: the map does not apply (that is the relay policy's business).
        await dialog.SendAndExpectAsync("MAIL FROM:<bob@example.org>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RSET\r\n", "250");
        await ScramAsync(dialog);
        await dialog.SendAndExpectAsync("MAIL FROM:<bob@example.org>\r\n", "553 5.7.1 <bob@example.org>: Sender address rejected: not owned by user alice");
        await dialog.SendAndExpectAsync("MAIL FROM:<anyone@example.net>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RSET\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RSET\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<ALICE@example.org>\r\n", "250 2.1.0");
    }

    [Fact]
    public async Task Too_many_failures_close_the_session_and_block_the_client_in_every_session()
    {
        var options = Options(Plaintext with { MaxFailures = 3, BlockDuration = TimeSpan.FromMinutes(10) });
        var clock = new FakeTimeProvider();
        var auth = Services(options, clock);
        await using (var dialog = await ConnectAsync(options, auth, clock))
        {
            await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
            await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "x1") + "\r\n", "535");
            await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("bob", "x2") + "\r\n", "535");
            await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("carol", "x3") + "\r\n", "421 4.7.0 Too many authentication failures");
            Assert.True(await dialog.ServerClosedAsync());
        }
        var logger = new Pki.Tls.CollectingLogger();
        await using (var dialog = await ConnectAsync(options, auth, clock, logger: logger))
        {
            await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
            await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "421 4.7.0");
            Assert.True(await dialog.ServerClosedAsync());
        }
        // The end of the block in ISO 8601 UTC, never a culture's date.
        var blockEnds = clock.GetUtcNow().AddMinutes(10).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(logger.Messages, m => m.EndsWith("blocked after too many authentication failures until " + blockEnds, StringComparison.Ordinal));
        clock.Advance(TimeSpan.FromMinutes(10));
        await using (var dialog = await ConnectAsync(options, auth, clock))
        {
            await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
            await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235");
        }
    }
}
