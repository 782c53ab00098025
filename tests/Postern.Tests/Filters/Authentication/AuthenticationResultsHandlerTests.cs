using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Filters.Authentication;
using Postern.Tests.Filters.Authentication.Dkim;

namespace Postern.Tests.Filters.Authentication;

/// <summary>
/// The handler on drafts: a DKIM signature aligned with From: passes DMARC although SPF fails,
/// the header lists each method, and our authserv-id is recognized the way RFC 8601 writes it.
/// The session-level behaviour (replies, holds, modes) is in the authentication-results dialogs.
/// </summary>
public sealed class AuthenticationResultsHandlerTests : IDisposable
{
    private static readonly SessionFacts Mta = new(
        new IPEndPoint(IPAddress.Parse("192.0.2.9"), 40000), new IPEndPoint(IPAddress.Loopback, 25), "mta", ListenerRole.Mta) { HeloName = "mail.example.org" };

    private readonly TestDrafts _drafts = new();

    [Fact]
    public async Task An_aligned_dkim_pass_passes_dmarc_when_spf_fails()
    {
        var dns = DkimCheckerTests.PublishedKey()
            .Txt("example.org", "v=spf1 ip4:198.51.100.0/24 -all")
            .Txt("_dmarc.example.org", "v=DMARC1; p=reject");
        var handler = AuthenticationTestHandlers.Create(AuthenticationResultsMode.Enforce, dns, TimeProvider.System, NullLogger.Instance);
        var draft = _drafts.Create(DkimCheckerTests.Signed(), new Mailbox("alice", "example.org"));

        var decision = await handler.EndOfDataAsync(Mta, draft, CancellationToken.None);

        Assert.Equal(PolicyVerdict.Accept, decision.Verdict);
        var field = draft.Headers[0];
        Assert.Equal("Authentication-Results", field.Name);
        Assert.Equal(
            "mx.test;\r\n\tspf=fail smtp.mailfrom=alice@example.org;\r\n\tdkim=pass header.d=example.org header.s=s2026 header.a=rsa-sha256;\r\n\tdmarc=pass (p=reject dis=none) header.from=example.org",
            field.Value);
    }

    [Fact]
    public async Task The_null_sender_is_checked_by_its_helo_name()
    {
        var dns = new InMemoryDns().Txt("mail.example.org", "v=spf1 ip4:192.0.2.9 -all");
        var handler = AuthenticationTestHandlers.Create(AuthenticationResultsMode.On, dns, TimeProvider.System, NullLogger.Instance);
        var draft = _drafts.Create("From: MAILER-DAEMON@mail.example.org\r\n\r\nbounce\r\n"u8.ToArray(), sender: null);

        await handler.EndOfDataAsync(Mta, draft, CancellationToken.None);

        Assert.StartsWith("mx.test;\r\n\tspf=pass smtp.helo=mail.example.org;\r\n\tdkim=none;", draft.Headers[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authenticated_client_is_not_checked()
    {
        var handler = AuthenticationTestHandlers.Create(AuthenticationResultsMode.Enforce, new InMemoryDns(), TimeProvider.System, NullLogger.Instance);
        var draft = _drafts.Create("From: a@example.org\r\n\r\nbody\r\n"u8.ToArray(), new Mailbox("a", "example.org"));

        await handler.EndOfDataAsync(Mta with { AuthenticatedUser = "alice" }, draft, CancellationToken.None);

        Assert.False(draft.IsEdited);
    }

    [Theory]
    [InlineData("192.0.2.0/24")]
    [InlineData("192.0.2.9/32")]
    public async Task A_client_in_the_ignored_networks_is_not_checked(string network)
    {
        var handler = AuthenticationTestHandlers.Create(
            AuthenticationResultsMode.Enforce, new InMemoryDns(), TimeProvider.System, NullLogger.Instance, [IPNetwork.Parse(network)]);
        var draft = _drafts.Create("From: a@example.org\r\n\r\nbody\r\n"u8.ToArray(), new Mailbox("a", "example.org"));

        await handler.EndOfDataAsync(Mta, draft, CancellationToken.None);

        Assert.False(draft.IsEdited);
    }

    [Fact]
    public async Task A_client_outside_the_ignored_networks_is_checked()
    {
        var handler = AuthenticationTestHandlers.Create(
            AuthenticationResultsMode.On, new InMemoryDns(), TimeProvider.System, NullLogger.Instance, [IPNetwork.Parse("198.51.100.0/24")]);
        var draft = _drafts.Create("From: a@example.org\r\n\r\nbody\r\n"u8.ToArray(), new Mailbox("a", "example.org"));

        await handler.EndOfDataAsync(Mta, draft, CancellationToken.None);

        Assert.Equal("Authentication-Results", draft.Headers[0].Name);
    }

    [Theory]
    [InlineData("mx.test; spf=pass", true)]
    [InlineData("MX.Test;spf=pass", true)]
    [InlineData("(comment (nested)) mx.test; none", true)]
    [InlineData("\"mx.test\"; none", true)]
    [InlineData("mx.test 1; spf=pass", true)]
    [InlineData("mx.test.evil.example; spf=pass", false)]
    [InlineData("relay.example.net; spf=pass smtp.mailfrom=mx.test", false)]
    [InlineData("", false)]
    public void A_field_claims_our_authserv_id_by_its_first_token(string value, bool claims)
    {
        Assert.Equal(claims, AuthenticationResultsHeader.Claims(value, "mx.test"));
    }

    public void Dispose() => _drafts.Dispose();
}
