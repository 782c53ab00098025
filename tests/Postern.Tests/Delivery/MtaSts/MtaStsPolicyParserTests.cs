using Postern.Delivery.MtaSts;

namespace Postern.Tests.Delivery.MtaSts;

public sealed class MtaStsPolicyParserTests
{
    private static readonly DateTimeOffset Fetched = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    // RFC 8461 3.2's example policy, CRLF-separated as the RFC serves it.
    private const string RfcExample =
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";

    private static MtaStsPolicy Valid(string body)
    {
        var policy = MtaStsPolicyParser.Parse(body, "20160831085700Z", Fetched, out var problem);
        Assert.True(policy is not null, problem);
        return policy;
    }

    private static string Invalid(string body)
    {
        var policy = MtaStsPolicyParser.Parse(body, "1", Fetched, out var problem);
        Assert.Null(policy);
        Assert.NotNull(problem);
        return problem;
    }

    [Fact]
    public void The_rfc_example_parses()
    {
        var policy = Valid(RfcExample);

        Assert.Equal("20160831085700Z", policy.Id);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(["mail.example.com", "*.example.net", "backupmx.example.com"], policy.MxPatterns);
        Assert.Equal(TimeSpan.FromSeconds(604800), policy.MaxAge);
        Assert.Equal(Fetched + TimeSpan.FromDays(7), policy.ExpiresAt);
        Assert.Equal(
            ["version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: *.example.net", "mx: backupmx.example.com", "max_age: 604800"],
            policy.Lines);
    }

    [Fact]
    public void Lf_alone_and_no_final_line_end_parse_the_same()
    {
        var policy = Valid(RfcExample.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'));

        Assert.Equal(3, policy.MxPatterns.Count);
        Assert.Equal(TimeSpan.FromDays(7), policy.MaxAge);
    }

    [Theory]
    [InlineData("testing", MtaStsMode.Testing)]
    [InlineData("enforce", MtaStsMode.Enforce)]
    [InlineData("none", MtaStsMode.None)]
    public void Every_mode_parses(string word, MtaStsMode mode) =>
        Assert.Equal(mode, Valid($"version: STSv1\nmode: {word}\nmx: mx.example.org\nmax_age: 86400\n").Mode);

    [Fact]
    public void Mode_none_needs_no_mx()
    {
        var policy = Valid("version: STSv1\nmode: none\nmax_age: 3600\n");

        Assert.Equal(MtaStsMode.None, policy.Mode);
        Assert.Empty(policy.MxPatterns);
    }

    [Fact]
    public void Fields_in_any_order_with_extensions_blank_lines_and_spacing()
    {
        var policy = Valid("max_age:86400\r\n\r\nmx:   mx.example.org  \r\nfuture_field-1.x: some value here\r\nmode:\tenforce\r\nversion: STSv1\r\n");

        Assert.Equal(["mx.example.org"], policy.MxPatterns);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Contains("future_field-1.x: some value here", policy.Lines);
    }

    [Fact]
    public void The_largest_max_age_is_one_year_and_zero_is_allowed()
    {
        Assert.Equal(TimeSpan.FromSeconds(31557600), Valid("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 31557600\n").MaxAge);
        Assert.Equal(TimeSpan.Zero, Valid("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 0\n").MaxAge);
    }

    [Theory]
    [InlineData("mode: enforce\nmx: a.example\nmax_age: 1\n", "no version field")]
    [InlineData("version: STSv1\nmx: a.example\nmax_age: 1\n", "no mode field")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\n", "no max_age field")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 1\n", "no mx field")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", "unsupported version")]
    [InlineData("version: stsv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", "unsupported version")]
    [InlineData("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n", "unknown mode")]
    [InlineData("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n", "unknown mode")]
    [InlineData("version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 1\n", "mode appears twice")]
    [InlineData("version: STSv1\nversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", "version appears twice")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nmax_age: 2\n", "max_age appears twice")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", "exceeds 31557600")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999\n", "1 to 10 digits")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", "1 to 10 digits")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1d\n", "1 to 10 digits")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: +5\n", "1 to 10 digits")]
    [InlineData("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n", "malformed mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmx: *example.com\nmax_age: 1\n", "malformed mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail..example.com\nmax_age: 1\n", "malformed mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 1\n", "malformed mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmx: -mail.example.com\nmax_age: 1\n", "malformed mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.example.com mx2.example.com\nmax_age: 1\n", "malformed mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmx:\nmax_age: 1\n", "empty or malformed value")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age 1\n", "not a \"key: value\" line")]
    [InlineData(" version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", "malformed field name")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\r\r\n", "malformed value")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nnote: bell\a\n", "malformed value")]
    [InlineData("<html><body>Not found</body></html>", "not a \"key: value\" line")]
    [InlineData("", "no version field")]
    public void Malformed_policies_are_refused_with_the_reason(string body, string expected) =>
        Assert.Contains(expected, Invalid(body), StringComparison.Ordinal);

    [Fact]
    public void The_reason_names_the_line()
    {
        Assert.StartsWith("line 3: ", Invalid("version: STSv1\nmode: enforce\nmx: bad_name.example\nmax_age: 1\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_never_echo_control_characters()
    {
        var problem = Invalid("version: STSv1\nmode: enforce\u001b[31m\nmx: a.example\nmax_age: 1\n");

        Assert.DoesNotContain('\u001b', problem);
    }
}
