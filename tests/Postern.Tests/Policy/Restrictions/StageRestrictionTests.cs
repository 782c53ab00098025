using Postern.Core.Tls;
using Postern.Policy.Restrictions;

namespace Postern.Tests.Policy.Restrictions;

/// <summary>The default connect and sender lists: client entries, sender entries and TLS_Clt requirements.</summary>
public sealed class StageRestrictionTests
{
    [Theory]
    [InlineData("203.0.113.9", "ACCEPT", "end of connect restrictions")]
    [InlineData("198.51.100.7", "ACCEPT", "check_client_access: /etc/mail/access:2 Connect:198.51.100.7 RELAY")]
    [InlineData("198.51.100.8", "ACCEPT", "check_client_access: /etc/mail/access:3 Connect:198.51.100.8 OK")]
    [InlineData("203.0.113.66", "554 5.7.1 Access denied", "check_client_access: /etc/mail/access:4 Connect:203.0.113.66 REJECT")]
    [InlineData("::ffff:203.0.113.66", "554 5.7.1 Access denied", "check_client_access: /etc/mail/access:4 ")]
    [InlineData("203.0.113.67", "421 4.7.0 Go away", "check_client_access: /etc/mail/access:5 ")]
    [InlineData("203.0.113.68", "DISCARD", "check_client_access: /etc/mail/access:6 Connect:203.0.113.68 DISCARD")]
    [InlineData("203.0.113.69", "QUARANTINE", "suspicious client (check_client_access: /etc/mail/access:7 ")]
    [InlineData("203.0.113.70", "ACCEPT", "end of connect restrictions")]
    public void Connect_decisions(string client, string expected, string reason)
    {
        var decision = RestrictionFixture.Policy().EvaluateConnect(RestrictionFixture.Session(client)).Decision;

        Assert.Equal(expected, RestrictionFixture.Outcome(decision));
        Assert.StartsWith(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.9", "a@example.net", "ACCEPT", "end of sender restrictions")]
    [InlineData("203.0.113.9", "spammer@bad.example", "550 5.7.1 Access denied", "check_sender_access: /etc/mail/access:9 From:spammer@bad.example REJECT")]
    [InlineData("203.0.113.9", "friend@partner.example", "ACCEPT", "check_sender_access: /etc/mail/access:10 From:friend@partner.example RELAY (RELAY by sender means OK")]
    [InlineData("203.0.113.9", "", "ACCEPT", "end of sender restrictions")]
    public void Sender_decisions(string client, string sender, string expected, string reason)
    {
        var from = sender.Length == 0 ? null : RestrictionFixture.Address(sender);

        var decision = RestrictionFixture.Policy().EvaluateSender(RestrictionFixture.Session(client), from).Decision;

        Assert.Equal(expected, RestrictionFixture.Outcome(decision));
        Assert.StartsWith(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.50", null, null, "403 4.7.0 other side does not support STARTTLS")]
    [InlineData("192.0.2.50", VerifyResult.Not, 256, "403 4.7.0 no authentication requested")]
    [InlineData("192.0.2.50", VerifyResult.No, 256, "403 4.7.0 not authenticated")]
    [InlineData("192.0.2.50", VerifyResult.Fail, 256, "403 4.7.0 authentication failed")]
    [InlineData("192.0.2.50", VerifyResult.Ok, 256, "ACCEPT")]
    [InlineData("192.0.2.51", null, null, "403 4.7.0 encryption too weak 0 less than 128")]
    [InlineData("192.0.2.51", VerifyResult.Not, 56, "403 4.7.0 encryption too weak 56 less than 128")]
    [InlineData("192.0.2.51", VerifyResult.Not, 128, "ACCEPT")]
    [InlineData("192.0.2.52", VerifyResult.Ok, 128, "503 5.7.0 encryption too weak 128 less than 256")]
    [InlineData("192.0.2.52", VerifyResult.No, 256, "503 5.7.0 not authenticated")]
    [InlineData("192.0.2.52", VerifyResult.Ok, 256, "ACCEPT")]
    [InlineData("192.0.2.53", null, null, "ACCEPT")]
    public void Tls_client_requirements_are_enforced_at_mail(string client, VerifyResult? verify, int? bits, string expected)
    {
        var evaluation = RestrictionFixture.Policy().EvaluateSender(RestrictionFixture.Session(client, verify, bits: bits), RestrictionFixture.Address("a@example.net"));

        Assert.Equal(expected, RestrictionFixture.Outcome(evaluation.Decision));
        Assert.Equal("check_tls_requirements", evaluation.Steps[0].Name);
        if (expected != "ACCEPT")
        {
            Assert.StartsWith("check_tls_requirements: /etc/mail/access:", evaluation.Decision.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Tls_clt_default_entry_applies_to_every_client()
    {
        var map = Postern.Policy.Access.AccessMapParser.Parse("TLS_Clt:\tENCR:128\nTLS_Clt:10.9\tENCR:0\n", "access");
        var policy = RestrictionFixture.Policy(map: map);

        var anyone = policy.EvaluateSender(RestrictionFixture.Session("203.0.113.9"), null).Decision;
        var exempt = policy.EvaluateSender(RestrictionFixture.Session("10.9.8.7"), null).Decision;

        Assert.Equal("403 4.7.0 encryption too weak 0 less than 128", anyone.Reply?.ToString());
        Assert.True(exempt.IsAccepted);
    }

    [Fact]
    public void Helo_and_data_stages_accept_by_default()
    {
        var policy = RestrictionFixture.Policy();
        var session = RestrictionFixture.Session("203.0.113.66");

        Assert.Equal("end of helo restrictions", policy.EvaluateHelo(session, "client.example").Decision.Reason);
        Assert.Equal("end of data restrictions", policy.EvaluateData(session, null).Decision.Reason);
    }

    [Fact]
    public void Configured_lists_run_at_their_stage()
    {
        var policy = RestrictionFixture.Policy(new RestrictionLists { Helo = ["check_client_access"], Data = ["permit_sasl_authenticated", "defer"] });

        var helo = policy.EvaluateHelo(RestrictionFixture.Session("203.0.113.66"), "x").Decision;
        var data = policy.EvaluateData(RestrictionFixture.Session("203.0.113.9"), null).Decision;
        var authenticated = policy.EvaluateData(RestrictionFixture.Session("203.0.113.9", auth: "alice"), null).Decision;

        Assert.Equal("550 5.7.1 Access denied", helo.Reply?.ToString());
        Assert.Equal("450 4.7.1 Try again later", data.Reply?.ToString());
        Assert.Equal("defer: defer", data.Reason);
        Assert.True(authenticated.IsAccepted);
    }
}
