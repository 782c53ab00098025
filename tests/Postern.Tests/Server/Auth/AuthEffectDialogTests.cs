using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postern.Policy;
using Postern.Policy.Auth;
using Postern.Server.Options;
using Postern.Tests.Pki.Tls;
using static Postern.Tests.Server.Auth.AuthDialog;

namespace Postern.Tests.Server.Auth;

/// <summary>What a successful or failed AUTH changes: the envelope, sender binding, limits and the log.</summary>
public sealed class AuthEffectDialogTests
{
    private static readonly AuthOptions Plaintext = new()
    {
        PlaintextRequiresTls = false,
        Mechanisms = ["SCRAM-SHA-256", "PLAIN", "LOGIN"],
        TrustedMechanisms = ["SCRAM-SHA-256"],
    };

    private static async Task SendMessageAsync(DialogHarness dialog, string mailFrom = "MAIL FROM:<alice@example.org>")
    {
        await dialog.SendAndExpectAsync(mailFrom + "\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAndExpectAsync("Subject: t\r\n\r\nhi\r\n.\r\n", "250 2.0.0 Ok: queued");
    }

    private static async Task ScramAsync(DialogHarness dialog, string user = "alice", string password = "secret")
    {
        await dialog.SendAndExpectAsync("AUTH SCRAM-SHA-256 " + B64("hello") + "\r\n", "334 " + B64("challenge"));
        await dialog.SendAndExpectAsync(B64(user + ":" + password) + "\r\n", "334 " + B64("v=final"));
        await dialog.SendAndExpectAsync("\r\n", "235 2.7.0 Authentication successful");
    }

    [Fact]
    public async Task A_trusted_mechanism_sets_the_authenticated_user()
    {
        await using var dialog = await ConnectAsync(Options(Plaintext));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await ScramAsync(dialog);
        await SendMessageAsync(dialog);
        var (envelope, bytes) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal("alice", envelope.Client.AuthenticatedUser);
        Assert.Equal("ESMTPA", envelope.Client.Protocol);
        Assert.Contains("with ESMTPA id", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_mechanism_authenticates_but_sets_no_user()
    {
        await using var dialog = await ConnectAsync(Options(Plaintext));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235 2.7.0");
        await SendMessageAsync(dialog);
        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.Null(envelope.Client.AuthenticatedUser);
        Assert.Equal("ESMTPA", envelope.Client.Protocol);
        Assert.Null(envelope.AuthParameter);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(null, " AUTH=alice@example.org", "<>")]
    [InlineData("SCRAM", null, "alice")]
    [InlineData("SCRAM", " AUTH=alice", "alice")]
    [InlineData("SCRAM", " AUTH=bob", "<>")]
    [InlineData("SCRAM", " AUTH=<>", "<>")]
    [InlineData("PLAIN", " AUTH=alice", "<>")]
    public async Task Auth_parameter_is_vouched_for_only_by_trusted_authentication(string? how, string? parameter, string? expected)
    {
        await using var dialog = await ConnectAsync(Options(Plaintext));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        if (how == "SCRAM")
        {
            await ScramAsync(dialog);
        }
        else if (how == "PLAIN")
        {
            await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235");
        }
        await SendMessageAsync(dialog, "MAIL FROM:<alice@example.org>" + parameter);
        Assert.Equal(expected, Assert.Single(dialog.Queue.Committed).Envelope.AuthParameter);
    }

    [Fact]
    public async Task Without_the_option_the_clients_auth_parameter_is_kept()
    {
        await using var dialog = await ConnectAsync(Options(Plaintext with { AuthParamOnlyWhenAuthenticated = false }));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await SendMessageAsync(dialog, "MAIL FROM:<a@example.org> AUTH=someone+40example.org");
        Assert.Equal("someone@example.org", Assert.Single(dialog.Queue.Committed).Envelope.AuthParameter);
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
        await using (var dialog = await ConnectAsync(options, auth, clock))
        {
            await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
            await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "421 4.7.0");
            Assert.True(await dialog.ServerClosedAsync());
        }
        clock.Advance(TimeSpan.FromMinutes(10));
        await using (var dialog = await ConnectAsync(options, auth, clock))
        {
            await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
            await dialog.SendAndExpectAsync("AUTH PLAIN " + Plain("alice", "secret") + "\r\n", "235");
        }
    }

    [Fact]
    public async Task Logs_name_user_and_mechanism_and_never_the_response()
    {
        var logger = new CollectingLogger();
        await using var dialog = await ConnectAsync(Options(Plaintext), logger: logger);
        await dialog.SendAndExpectAsync("EHLO client.example\r\n", "250-");
        var wrong = Plain("alice", "WrongPassw0rd");
        await dialog.SendAndExpectAsync("AUTH PLAIN " + wrong + "\r\n", "535");
        await dialog.SendAndExpectAsync("AUTH LOGIN\r\n", "334");
        await dialog.SendAndExpectAsync(B64("bob") + "\r\n", "334");
        await dialog.SendAndExpectAsync(B64("hunter2") + "\r\n", "235");
        await dialog.SendAndExpectAsync("QUIT\r\n", "221");
        Assert.True(await dialog.ServerClosedAsync());
        var log = string.Join("\n", logger.Messages);
        Assert.Contains("AUTH failure (PLAIN): BadCredentials: wrong password, user=alice, relay=client.example [127.0.0.1]", log, StringComparison.Ordinal);
        Assert.Contains("AUTH=server, relay=client.example [127.0.0.1], authid=bob, mech=LOGIN, bits=0, trusted=no", log, StringComparison.Ordinal);
        foreach (var secret in new[] { wrong, "WrongPassw0rd", B64("hunter2"), "hunter2", B64("bob") })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }
}
