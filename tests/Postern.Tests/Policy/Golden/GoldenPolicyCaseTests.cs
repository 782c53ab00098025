using Postern.Core.Policy;

namespace Postern.Tests.Policy.Golden;

/// <summary>
/// The golden policy cases: every line of relay-tricks.cases (twice, without and with a relay domain
/// configured), of relay-decisions.cases and of command-gate.cases is one test case against the real policy.
/// </summary>
public sealed class GoldenPolicyCaseTests
{
    private const string Tricks = "relay-tricks.cases";
    private const string Decisions = "relay-decisions.cases";
    private const string Gate = "command-gate.cases";

    public static TheoryData<string, int, bool> TrickCases()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var row in GoldenCase.Load(Tricks))
        {
            data.Add(row.File, row.Line, false);
            data.Add(row.File, row.Line, true);
        }
        return data;
    }

    public static TheoryData<string, int> DecisionCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var row in GoldenCase.Load(Decisions))
        {
            data.Add(row.File, row.Line);
        }
        return data;
    }

    public static TheoryData<string, int> GateCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var row in GoldenCase.Load(Gate))
        {
            data.Add(row.File, row.Line);
        }
        return data;
    }

    [Fact]
    public void The_trick_table_has_at_least_25_distinct_tricks()
    {
        var rows = GoldenCase.Load(Tricks).Select(r => string.Join('\t', r.Columns)).ToList();
        Assert.True(rows.Count >= 25);
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TrickCases))]
    public async Task No_trick_relays_mail_for_an_untrusted_client(string file, int line, bool relayDomainConfigured)
    {
        var row = GoldenCase.At(file, line);
        var (rcpt, smtpUtf8, expected) = (row.Columns[0], row.Columns[1] == "yes", row.Columns[2]);

        var reply = await RelayTrickDriver.TryAsync(rcpt, smtpUtf8, relayDomainConfigured);

        // The safety property first, then the exact outcome the docs promise.
        Assert.True(reply.StartsWith('5') || reply.StartsWith("local ", StringComparison.Ordinal), reply);
        Assert.StartsWith(expected, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trick_harness_sees_relaying_when_it_happens()
    {
        // A control, not a trick: mail for a configured relay domain is relayed, and the check says so.
        var reply = await RelayTrickDriver.TryAsync("TO:<user@" + RelayTrickDriver.RelayDomain + ">", smtpUtf8: false, relayDomainConfigured: true);

        Assert.Equal("relayed via route relay.test", reply);
    }

    [Theory]
    [MemberData(nameof(DecisionCases))]
    public async Task Relay_decision_is_as_recorded(string file, int line)
    {
        var row = GoldenCase.At(file, line);

        var decision = await RelayDecisionDriver.DecideAsync(row);

        Check(row.Columns[8], decision);
    }

    [Theory]
    [MemberData(nameof(GateCases))]
    public async Task Command_gate_decision_is_as_recorded(string file, int line)
    {
        var row = GoldenCase.At(file, line);

        var decision = await CommandGateDriver.DecideAsync(row);

        Check(row.Columns[3], decision);
    }

    /// <summary>The expected column: accept [REASON], reply TEXT, reply-prefix TEXT or code N.</summary>
    private static void Check(string expected, PolicyDecision decision)
    {
        var space = expected.IndexOf(' ');
        var (kind, value) = space < 0 ? (expected, "") : (expected[..space], expected[(space + 1)..]);
        if (kind == "accept")
        {
            Assert.True(decision.IsAccepted, decision.Reason);
            if (value.Length > 0)
            {
                Assert.Equal(value, decision.Reason);
            }
            return;
        }
        Assert.False(decision.IsAccepted, decision.Reason);
        switch (kind)
        {
            case "reply":
                Assert.Equal(value, decision.Reply?.ToString());
                break;
            case "reply-prefix":
                Assert.StartsWith(value, decision.Reply?.ToString(), StringComparison.Ordinal);
                break;
            case "code":
                Assert.Equal(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), decision.Reply?.Code);
                break;
            default:
                throw new FormatException("unknown expectation " + kind);
        }
    }
}
