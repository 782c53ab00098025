using Postern.Policy.Restrictions;

namespace Postern.Tests.Policy.Restrictions;

public sealed class RestrictionCatalogTests
{
    [Theory]
    [InlineData(RestrictionStage.Connect, new[] { "check_client_access", "permit_relay_networks", "reject" })]
    [InlineData(RestrictionStage.Mail, new[] { "check_tls_requirements", "check_sender_access", "defer" })]
    [InlineData(RestrictionStage.Rcpt, new[] { "reject_unauth_destination" })]
    [InlineData(RestrictionStage.Rcpt, new[] { "permit_relay_networks", "reject" })]
    [InlineData(RestrictionStage.Rcpt, new[] { "permit_auth_destination", "reject_unauth_destination", "permit" })]
    [InlineData(RestrictionStage.Data, new string[0])]
    public void Valid_lists_have_no_errors(RestrictionStage stage, string[] names) =>
        Assert.Empty(RestrictionCatalog.Validate(stage, names));

    [Theory]
    [InlineData(RestrictionStage.Connect, new[] { "permit_mynetworks" }, "unknown restriction 'permit_mynetworks' (known here: ")]
    [InlineData(RestrictionStage.Connect, new[] { "check_recipient_access" }, "'check_recipient_access' cannot be used at the connect stage (it needs a recipient)")]
    [InlineData(RestrictionStage.Helo, new[] { "check_sender_access" }, "'check_sender_access' cannot be used at the helo stage (it needs a sender)")]
    [InlineData(RestrictionStage.Mail, new[] { "permit_local_domains" }, "'permit_local_domains' cannot be used at the sender stage (it needs a recipient)")]
    [InlineData(RestrictionStage.Mail, new[] { "check_sender_access", "check_sender_access" }, "lists 'check_sender_access' twice")]
    [InlineData(RestrictionStage.Rcpt, new string[0], "must contain 'reject_unauth_destination' (or end with 'reject')")]
    [InlineData(RestrictionStage.Rcpt, new[] { "permit_local_domains", "permit_relay_networks" }, "must contain 'reject_unauth_destination'")]
    [InlineData(RestrictionStage.Rcpt, new[] { "permit", "reject_unauth_destination" }, "'permit' before 'reject_unauth_destination' would make Postern an open relay")]
    [InlineData(RestrictionStage.Rcpt, new[] { "permit", "reject" }, "'permit' before 'reject_unauth_destination' would make Postern an open relay")]
    [InlineData(RestrictionStage.Rcpt, new[] { "reject_routing_tricks", "reject_unauth_destination" }, "'reject_routing_tricks' is always applied first at RCPT and cannot be listed")]
    public void Invalid_lists_say_why(RestrictionStage stage, string[] names, string error) =>
        Assert.StartsWith(error, RestrictionCatalog.Validate(stage, names)[0], StringComparison.Ordinal);

    [Fact]
    public void The_defaults_are_valid()
    {
        var defaults = new RestrictionLists();

        Assert.All(Enum.GetValues<RestrictionStage>(), stage => Assert.Empty(RestrictionCatalog.Validate(stage, defaults.For(stage))));
    }
}
