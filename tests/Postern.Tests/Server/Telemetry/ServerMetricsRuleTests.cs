using Postern.Server.Telemetry;

namespace Postern.Tests.Server.Telemetry;

public sealed class ServerMetricsRuleTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new();

    public void Dispose() => _recorder.Dispose();

    [Theory]
    [InlineData("reject_unauth_destination: end of recipient restrictions", "reject_unauth_destination")]
    [InlineData("check_client_access: /etc/mail/access:12 Connect:10.0.0.1 REJECT", "check_client_access")]
    [InlineData("permit_mynetworks", "permit_mynetworks")]
    [InlineData("sender login mismatch: authid=bob", "other")]
    [InlineData("Reject_Unauth: x", "other")]
    [InlineData("", "other")]
    [InlineData(": leading colon", "other")]
    public void The_rule_is_the_leading_restriction_word_or_other(string reason, string rule) =>
        Assert.Equal(rule, new ServerMetrics(_recorder.Meter).Rule(reason));

    [Fact]
    public void Rules_are_interned_and_capped_so_the_label_set_stays_bounded()
    {
        var metrics = new ServerMetrics(_recorder.Meter);
        var first = metrics.Rule("rule_a: one");
        Assert.Same(first, metrics.Rule("rule_a: two"));
        for (var i = 0; i < ServerMetrics.MaxRules + 10; i++)
        {
            metrics.Rule("rule_" + i + ": x");
        }
        Assert.Equal("other", metrics.Rule("one_more_rule: x"));
        Assert.Equal("rule_a", metrics.Rule("rule_a: still known"));
    }
}
