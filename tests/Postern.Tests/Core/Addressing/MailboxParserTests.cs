using Postern.Core.Addressing;

namespace Postern.Tests.Core.Addressing;

public sealed class MailboxParserTests
{
    private static Mailbox ParseForward(string input)
    {
        Assert.True(MailboxParser.TryParsePath(input, PathKind.Forward, out var mailbox, out var consumed, out var error), error?.ToString());
        Assert.Null(error);
        Assert.Equal(input.Length, consumed);
        return Assert.IsType<Mailbox>(mailbox);
    }

    private static string ForwardError(string input)
    {
        Assert.False(MailboxParser.TryParsePath(input, PathKind.Forward, out var mailbox, out var consumed, out var error));
        Assert.Null(mailbox);
        Assert.Equal(0, consumed);
        Assert.NotNull(error);
        Assert.Equal(501, error.Code);
        Assert.Equal("5.1.3", error.Status.ToString());
        return error.Lines[0];
    }

    [Fact]
    public void Plain_path_parses_and_consumes_through_the_closing_bracket()
    {
        var ok = MailboxParser.TryParsePath("<user@example.org> SIZE=10", PathKind.Forward, out var mailbox, out var consumed, out var error);

        Assert.True(ok);
        Assert.Null(error);
        Assert.Equal(new Mailbox("user", "example.org"), mailbox);
        Assert.Equal("<user@example.org>".Length, consumed);
    }

    [Fact]
    public void Quoted_local_part_is_stored_decoded()
    {
        Assert.Equal(new Mailbox("a b", "x"), ParseForward("<\"a b\"@x>"));
        Assert.Equal(new Mailbox("a\"b\\c", "x"), ParseForward("<\"a\\\"b\\\\c\"@x>"));
        Assert.Equal(new Mailbox("a>b@c", "x"), ParseForward("<\"a>b@c\"@x>"));
    }

    [Fact]
    public void Source_route_is_parsed_and_dropped()
    {
        Assert.Equal(new Mailbox("u", "x"), ParseForward("<@r1,@r2:u@x>"));
        Assert.Equal(new Mailbox("u", "x"), ParseForward("<@r1.example:u@x>"));
        Assert.Equal(new Mailbox("u", "x"), ParseForward("<@[192.0.2.1]:u@x>"));
    }

    [Theory]
    [InlineData("<@:u@x>")]
    [InlineData("<@r1,r2:u@x>")]
    [InlineData("<@r1@r2:u@x>")]
    [InlineData("<@r1,@r2u@x>")]
    [InlineData("<@r1>")]
    [InlineData("<@-bad-:u@x>")]
    public void Bad_source_routes_are_refused(string input) =>
        Assert.Contains("source route", ForwardError(input), StringComparison.Ordinal);

    [Theory]
    [InlineData("<u@[192.0.2.1]>", "[192.0.2.1]")]
    [InlineData("<u@[0.0.0.0]>", "[0.0.0.0]")]
    [InlineData("<u@[255.255.255.255]>", "[255.255.255.255]")]
    [InlineData("<u@[IPv6:2001:db8::1]>", "[IPv6:2001:db8::1]")]
    [InlineData("<u@[ipv6:2001:DB8::1]>", "[IPv6:2001:DB8::1]")]
    [InlineData("<u@[IPv6:::1]>", "[IPv6:::1]")]
    [InlineData("<u@[IPv6:::ffff:192.0.2.1]>", "[IPv6:::ffff:192.0.2.1]")]
    public void Domain_literals_are_validated_and_kept_with_brackets(string input, string domain)
    {
        var mailbox = ParseForward(input);
        Assert.Equal(domain, mailbox.Domain);
        Assert.True(mailbox.IsDomainLiteral);
    }

    [Theory]
    [InlineData("<u@[192.0.2.256]>")]
    [InlineData("<u@[192.0.2]>")]
    [InlineData("<u@[1]>")]
    [InlineData("<u@[192.0.2.1.5]>")]
    [InlineData("<u@[192.0.02.1]>")]
    [InlineData("<u@[0x7f.0.0.1]>")]
    [InlineData("<u@[]>")]
    [InlineData("<u@[IPv6:2001:db8::g]>")]
    [InlineData("<u@[IPv6:192.0.2.1]>")]
    [InlineData("<u@[IPv6:fe80::1%eth0]>")]
    [InlineData("<u@[IPv6:1:2:3:4:5:6:7:8:9]>")]
    [InlineData("<u@[2001:db8::1]>")]
    [InlineData("<u@[x-tag:stuff]>")]
    [InlineData("<u@[192.0.2.1>")]
    [InlineData("<u@[192.0.2.1]x>")]
    public void Bad_domain_literals_are_refused(string input) => ForwardError(input);

    [Fact]
    public void Utf8_local_part_and_domain_are_allowed()
    {
        var mailbox = ParseForward("<用户@例子.广告>");
        Assert.Equal(new Mailbox("用户", "例子.广告"), mailbox);
        Assert.True(mailbox.NeedsSmtpUtf8);

        Assert.Equal(new Mailbox("user", "bücher.example"), ParseForward("<user@bücher.example>"));
        Assert.Equal(new Mailbox("ünïcödé", "xn--bcher-kva.example"), ParseForward("<ünïcödé@xn--bcher-kva.example>"));
    }

    [Fact]
    public void Null_path_is_only_for_the_reverse_path()
    {
        Assert.True(MailboxParser.TryParsePath("<>", PathKind.Reverse, out var mailbox, out var consumed, out var error));
        Assert.Null(mailbox);
        Assert.Null(error);
        Assert.Equal(2, consumed);

        Assert.Contains("empty address", ForwardError("<>"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<postmaster>")]
    [InlineData("<Postmaster>")]
    [InlineData("<POSTMASTER>")]
    public void Forward_path_accepts_bare_postmaster_in_any_case(string input) =>
        Assert.Equal(new Mailbox("Postmaster", ""), ParseForward(input));

    [Fact]
    public void Bare_postmaster_is_not_a_sender_and_postmaster_with_domain_is_an_ordinary_mailbox()
    {
        Assert.False(MailboxParser.TryParsePath("<postmaster>", PathKind.Reverse, out _, out _, out var error));
        Assert.Equal("5.1.7", error!.Status.ToString());
        Assert.Equal(new Mailbox("postmaster", "example.org"), ParseForward("<postmaster@example.org>"));
        ForwardError("<postmasterx>");
        ForwardError("<@r:postmaster>");
    }

    [Fact]
    public void Local_part_may_be_64_octets_but_not_65()
    {
        var max = new string('a', 64);
        Assert.Equal(max, ParseForward($"<{max}@x>").LocalPart);
        Assert.Contains("local part too long", ForwardError($"<{max}a@x>"), StringComparison.Ordinal);
    }

    [Fact]
    public void Local_part_limit_counts_utf8_octets()
    {
        // 22 three-octet characters: 66 octets in 22 chars.
        Assert.Contains("local part too long", ForwardError($"<{new string('用', 22)}@x>"), StringComparison.Ordinal);
        Assert.Equal(21, ParseForward($"<{new string('用', 21)}@x>").LocalPart.Length);
    }

    [Fact]
    public void Path_may_not_exceed_256_octets()
    {
        var label = new string('d', 63);
        var domain = $"{label}.{label}.{label}.{new string('d', 60)}"; // 252 octets
        var fits = $"<u@{domain}>"; // 256
        Assert.Equal(256, fits.Length);
        Assert.Equal(domain, ParseForward(fits).Domain);
        Assert.Contains("too long", ForwardError($"<uu@{domain}>"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user@example.org", "enclosed in <>")]
    [InlineData("", "enclosed in <>")]
    [InlineData(" <user@example.org>", "enclosed in <>")]
    [InlineData("<user@example.org", "missing closing '>'")]
    [InlineData("<user>", "missing domain")]
    [InlineData("<user@>", "missing domain")]
    [InlineData("<@>", "source route")]
    [InlineData("<a b@x>", "invalid character in local part")]
    [InlineData("<user@exa mple.org>", "invalid character in address")]
    [InlineData("<user@example.org x>", "invalid character in address")]
    [InlineData("<.a@x>", "'.'")]
    [InlineData("<a.@x>", "'.'")]
    [InlineData("<a..b@x>", "'.'")]
    [InlineData("<\"a@x>", "unterminated")]
    [InlineData("<\"\"@x>", "empty local part")]
    [InlineData("<\"a\tb\"@x>", "invalid quoted local part")]
    [InlineData("<\"a\\\u0001\"@x>", "invalid quoted local part")]
    [InlineData("<a\u0001b@x>", "invalid character in local part")]
    [InlineData("<a\u0085b@x>", "invalid character in local part")]
    [InlineData("<a(b)@x>", "invalid character in local part")]
    [InlineData("<a@b@x>", "invalid character in address")]
    [InlineData("<u@-x.org>", "'-'")]
    [InlineData("<u@x-.org>", "'-'")]
    [InlineData("<u@x..org>", "empty domain label")]
    [InlineData("<u@x.org.>", "empty domain label")]
    [InlineData("<u@.x.org>", "empty domain label")]
    [InlineData("<u@x_y.org>", "invalid character in address")]
    public void Malformed_paths_are_refused_with_a_reason(string input, string reason) =>
        Assert.Contains(reason, ForwardError(input), StringComparison.Ordinal);

    [Fact]
    public void Domain_label_limits_follow_rfc1035()
    {
        var label63 = new string('a', 63);
        Assert.Equal($"{label63}.org", ParseForward($"<u@{label63}.org>").Domain);
        Assert.Contains("domain label too long", ForwardError($"<u@{label63}a.org>"), StringComparison.Ordinal);
        Assert.Equal("1-2.3com", ParseForward("<u@1-2.3com>").Domain);
    }

    [Fact]
    public void Utf8_label_limit_applies_to_its_a_label()
    {
        // 60 'ü' are 120 UTF-8 octets, and far more than 63 in punycode.
        Assert.Contains("domain label", ForwardError($"<u@{new string('ü', 60)}.example>"), StringComparison.Ordinal);
        // 21 scattered CJK characters: exactly 63 UTF-8 octets, but 67 octets as an A-label.
        var scattered = string.Concat(Enumerable.Range(0, 21).Select(i => (char)(0x4E00 + (i * 977 % 20000))));
        Assert.Contains("domain label", ForwardError($"<u@{scattered}.example>"), StringComparison.Ordinal);
        Assert.Equal(new string('ü', 20) + ".example", ParseForward($"<u@{new string('ü', 20)}.example>").Domain);
    }

    [Fact]
    public void Percent_and_bang_are_plain_atext_and_never_route()
    {
        Assert.Equal(new Mailbox("user%other.example", "relay.example"), ParseForward("<user%other.example@relay.example>"));
        Assert.Equal(new Mailbox("host!user", "relay.example"), ParseForward("<host!user@relay.example>"));
    }

    [Fact]
    public void Trailing_text_is_left_for_the_caller()
    {
        Assert.True(MailboxParser.TryParsePath("<a@b>garbage", PathKind.Reverse, out var mailbox, out var consumed, out _));
        Assert.Equal(new Mailbox("a", "b"), mailbox);
        Assert.Equal(5, consumed);
    }

    [Fact]
    public void Reverse_path_errors_use_the_sender_code()
    {
        Assert.False(MailboxParser.TryParsePath("user@x", PathKind.Reverse, out _, out _, out var error));
        Assert.Equal("501 5.1.7 Bad sender address syntax: address must be enclosed in <>", error!.ToString());
    }

    [Fact]
    public void Error_replies_never_echo_the_input()
    {
        ForwardError("<a\r\nRSET@x>");
        Assert.False(MailboxParser.TryParsePath("<a\r\nRSET@x>", PathKind.Forward, out _, out _, out var error));
        Assert.DoesNotContain("RSET", error!.ToWireString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user@example.org", "user", "example.org")]
    [InlineData("\"a b\"@x", "a b", "x")]
    [InlineData("u@[IPv6:::1]", "u", "[IPv6:::1]")]
    [InlineData("用户@例子.广告", "用户", "例子.广告")]
    public void Bare_mailbox_parses(string input, string localPart, string domain)
    {
        Assert.True(MailboxParser.TryParseMailbox(input, out var mailbox, out var error));
        Assert.Null(error);
        Assert.Equal(new Mailbox(localPart, domain), mailbox);
    }

    [Theory]
    [InlineData("<user@example.org>")]
    [InlineData("user@example.org ")]
    [InlineData("user@example.org>")]
    [InlineData("user")]
    [InlineData("user@")]
    [InlineData("@example.org")]
    [InlineData("")]
    [InlineData("Postmaster")]
    public void Bare_mailbox_must_be_the_whole_input(string input)
    {
        Assert.False(MailboxParser.TryParseMailbox(input, out var mailbox, out var error));
        Assert.Null(mailbox);
        Assert.Equal(501, error!.Code);
    }

    [Fact]
    public void Mailbox_round_trips_through_its_text_form()
    {
        foreach (var input in new[] { "<\"a b\"@x>", "<\"a\\\"b\"@x>", "<user@example.org>", "<用户@例子.广告>" })
        {
            var mailbox = ParseForward(input);
            Assert.Equal(mailbox, ParseForward("<" + mailbox + ">"));
        }
    }
}
