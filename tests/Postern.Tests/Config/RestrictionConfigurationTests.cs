using Postern.Policy.Restrictions;

namespace Postern.Tests.Config;

public sealed class RestrictionConfigurationTests
{
    [Fact]
    public void Without_keys_the_safe_defaults_apply()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[policy]\nrelay_domains = []\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(new RestrictionLists().Recipient, result.Configuration.RelayPolicy.Restrictions.Recipient);
        Assert.Equal(["check_client_access"], result.Configuration.RelayPolicy.Restrictions.Connect);
    }

    [Fact]
    public void Every_stage_binds()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + """
            [policy]
            connect_restrictions = ["check_client_access", "permit_relay_networks"]
            helo_restrictions = ["check_client_access"]
            sender_restrictions = ["check_sender_access"]
            recipient_restrictions = ["permit_sasl_authenticated", "permit_local_domains", "reject_unauth_destination"]
            data_restrictions = ["check_tls_requirements"]
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var lists = result.Configuration.RelayPolicy.Restrictions;
        Assert.Equal(["check_client_access", "permit_relay_networks"], lists.Connect);
        Assert.Equal(["check_client_access"], lists.Helo);
        Assert.Equal(["check_sender_access"], lists.Sender);
        Assert.Equal(["permit_sasl_authenticated", "permit_local_domains", "reject_unauth_destination"], lists.Recipient);
        Assert.Equal(["check_tls_requirements"], lists.Data);
    }

    [Theory]
    [InlineData("connect_restrictions = [\"permit_mynetworks\"]", "policy.connect_restrictions", "unknown restriction 'permit_mynetworks'")]
    [InlineData("helo_restrictions = [\"check_recipient_access\"]", "policy.helo_restrictions", "'check_recipient_access' cannot be used at the helo stage")]
    [InlineData("sender_restrictions = \"check_sender_access\"", "policy.sender_restrictions", "must be an array of strings")]
    [InlineData("recipient_restrictions = [\"permit_local_domains\"]", "policy.recipient_restrictions", "must contain 'reject_unauth_destination' (or end with 'reject'): without it Postern would be an open relay")]
    [InlineData("recipient_restrictions = [\"permit\", \"reject_unauth_destination\"]", "policy.recipient_restrictions", "'permit' before 'reject_unauth_destination' would make Postern an open relay")]
    [InlineData("data_restrictions = [\"reject\", \"reject\"]", "policy.data_restrictions", "lists 'reject' twice")]
    public void Bad_lists_are_errors_with_key_and_line(string line, string key, string message)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[policy]\n" + line + "\n");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((key, 7), (error.Key, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
