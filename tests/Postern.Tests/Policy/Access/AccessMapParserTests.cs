using Postern.Policy.Access;

namespace Postern.Tests.Policy.Access;

public sealed class AccessMapParserTests
{
    // Debian's default /etc/mail/access plus the seeds' lines and other sendmail tags.
    internal const string RealisticFile = """
        # Check the /usr/share/doc/sendmail/README.Debian.gz file for more info.
        #
        # Entries in this file can be simple domains, partial domains, IP addresses,
        # email addresses, or tags.
        #
        # Examples:
        #   spammer@example.com     REJECT
        #   Connect:192.168.1       RELAY
        #
        GreetPause:localhost	0
        ClientRate:127.0.0.1	0
        ClientConn:127.0.0.1	0
        ClientRate:	10
        Srv_Features:	L
        srv_features:192.168.1	V
        TLS_Srv:secure.example.net	ENCR:112
        TLS_Clt:laptop.example.org	VERIFY
        TLS_Clt:127.0.0.1	ENCR:128
        Try_TLS:broken.example.com	NO
        Spam:abuse@	FRIEND
        Connect:localhost.localdomain	RELAY
        Connect:localhost	RELAY
        Connect:127.0.0.1	RELAY
        Connect:IPv6:::1	RELAY
        Connect:IPv6:2001:db8	RELAY
        CERTIssuer:/C=US/ST=Washington/L=Seattle/O=Foo+20Enterprises/OU=Security+20Division/CN=Jason+20Heiss        RELAY
        CERTISSUER:/CN=Corp+20CA	SUBJECT
        CERTSUBJECT:/CN=laptop.corp	RELAY
        From:spammer@example.com	REJECT
        From:<>	OK
        To:postmaster@	OK
        example.net	DISCARD
        10.1	SKIP
        cyberspammer.com	ERROR:"550 5.7.1 We don't accept mail from spammers"
        okay.cyberspammer.com	OK
        sendmail.org	ERROR:5.7.1:550 Go away
        """;

    [Fact]
    public void Realistic_access_file_loads_with_every_line_kept()
    {
        var map = AccessMapParser.Parse(RealisticFile, "/etc/mail/access");

        Assert.Equal(27, map.Entries.Count);
        Assert.Equal(5, map.Entries.Count(e => e.Tag == AccessTag.Other && e.Action == AccessAction.Text));
        Assert.Equal(2, map.Entries.Count(e => e.Tag == AccessTag.TlsClt));
        Assert.Equal(4, map.Entries.Count(e => e.Action == AccessAction.Limit));
        Assert.Equal(10, map.Entries.Single(e => e.Tag == AccessTag.ClientRate && e.Key.Length == 0).Limit);
    }

    [Fact]
    public void Entries_carry_tag_key_value_and_line()
    {
        var map = AccessMapParser.Parse(RealisticFile, "access");

        var issuer = map.Entries.Single(e => e.Tag == AccessTag.CertIssuer && e.Action == AccessAction.Relay);
        Assert.Equal("CERTIssuer", issuer.TagName);
        Assert.Equal("/C=US/ST=Washington/L=Seattle/O=Foo Enterprises/OU=Security Division/CN=Jason Heiss", issuer.Key);
        Assert.Equal(26, issuer.Line);

        var tls = map.Entries.Single(e => e.Tag == AccessTag.TlsClt && e.Key == "laptop.example.org");
        Assert.Equal("VERIFY", tls.Value);
        Assert.Equal(AccessAction.Text, tls.Action);

        var subject = map.Entries.Single(e => e.Tag == AccessTag.CertIssuer && e.Action == AccessAction.Subject);
        Assert.Equal("/CN=Corp CA", subject.Key);

        var v6 = map.Entries.Single(e => e.TagName == "Connect" && e.Key.StartsWith("ipv6:2001", StringComparison.Ordinal));
        Assert.Equal("ipv6:2001:db8", v6.Key);
        Assert.Equal("ipv6:0:0:0:0:0:0:0:1", map.Entries.Single(e => e.TagName == "Connect" && e.Key.EndsWith(":1", StringComparison.Ordinal) && e.Key.StartsWith("ipv6:0", StringComparison.Ordinal)).Key);
    }

    [Theory]
    [InlineData("x.org ERROR:\"550 5.7.1 We don't accept mail\"", 550, "5.7.1", "We don't accept mail")]
    [InlineData("x.org ERROR:5.7.1:550 Go away", 550, "5.7.1", "Go away")]
    [InlineData("x.org ERROR:550 Go away", 550, "5.7.1", "Go away")]
    [InlineData("x.org ERROR:\"451 4.3.2 Try later\"", 451, "4.3.2", "Try later")]
    [InlineData("x.org ERROR:4.7.0:421 closing", 421, "4.7.0", "closing")]
    [InlineData("x.org ERROR:550", 550, "5.7.1", "Access denied")]
    public void Error_values_become_replies(string line, int code, string status, string text)
    {
        var entry = AccessMapParser.Parse(line, "access").Entries.Single();

        Assert.Equal(AccessAction.Error, entry.Action);
        Assert.Equal(code, entry.Reply!.Code);
        Assert.Equal(status, entry.Reply.Status.ToString());
        Assert.Equal(text, entry.Reply.Lines.Single());
    }

    // Found by fuzzing (fuzz/corpus/access): the text goes to the client as it is, so a control
    // character in it (a CR in mid-line above all) would reach the wire inside the reply.
    [Theory]
    [InlineData("x.org ERROR:\"550 5.7.1 one\rtwo\"")]
    [InlineData("x.org ERROR:550 bell\u0007")]
    [InlineData("x.org ERROR:5.7.1:550 del\u007f")]
    [InlineData("x.org ERROR:\"550 5.7.1 next line\u0085\"")]
    public void Error_text_with_a_control_character_is_an_error(string line)
    {
        var error = Assert.Throws<AccessMapException>(() => AccessMapParser.Parse(line, "access"));

        Assert.Contains("access:1: ERROR value's text holds a control character", error.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Error_text_may_hold_a_tab() =>
        Assert.Equal("a\tb", Entry("x.org ERROR:\"550 5.7.1 a\tb\"").Reply!.Lines.Single());

    [Theory]
    [InlineData("x.org\tok", AccessAction.Ok)]
    [InlineData("x.org  \t RELAY  ", AccessAction.Relay)]
    [InlineData("  x.org Reject", AccessAction.Reject)]
    [InlineData("x.org DISCARD", AccessAction.Discard)]
    [InlineData("x.org SKIP", AccessAction.Skip)]
    [InlineData("certissuer:/CN=A subject", AccessAction.Subject)]
    public void Value_words_are_case_insensitive(string line, AccessAction action) =>
        Assert.Equal(action, Entry(line).Action);

    [Fact]
    public void Crlf_comments_and_blank_lines_are_skipped()
    {
        var map = AccessMapParser.Parse("# c\r\n\r\n   \r\n\t# indented\r\na.org RELAY\r\n", "access");

        Assert.Equal(5, map.Entries.Single().Line);
    }

    [Fact]
    public void Every_error_is_reported_with_file_and_line()
    {
        const string Text = """
            # header
            a.org RELAY
            b.org PERMIT
            c.org
            Connect:IPv6:2001:db8::zz RELAY
            Connect:300.1 RELAY
            CERTFP:sha256:abcd RELAY
            CERTFP:md5:00 RELAY
            d.org ERROR:"250 fine"
            e.org ERROR:4.7.1:550 mismatch
            CERTISSUER:/CN=A+2 RELAY
            From:bad..domain REJECT
            To:x.org SUBJECT
            Connect:user@x.org RELAY
            CERTSAN:@x RELAY
            """;

        var error = Assert.Throws<AccessMapException>(() => AccessMapParser.Parse(Text, "/etc/mail/access"));

        Assert.Equal(
            [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
            error.Errors.Select(e => int.Parse(e.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(error.Errors, e => Assert.StartsWith("/etc/mail/access:", e, StringComparison.Ordinal));
        Assert.Contains("unknown value 'PERMIT'", error.Errors[0], StringComparison.Ordinal);
        Assert.Contains("no value", error.Errors[1], StringComparison.Ordinal);
        Assert.Contains("IPv6", error.Errors[2], StringComparison.Ordinal);
        Assert.Contains("4xx or 5xx", error.Errors[6], StringComparison.Ordinal);
        Assert.Contains(error.Errors[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlong_line_is_an_error()
    {
        var text = "a.org RELAY\n" + new string('b', AccessMapParser.MaxLineLength + 1) + " RELAY\n";

        var error = Assert.Throws<AccessMapException>(() => AccessMapParser.Parse(text, "access"));

        Assert.StartsWith("access:2: line is longer", error.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors()
    {
        var directory = Directory.CreateTempSubdirectory("postern-access-");
        try
        {
            var good = Path.Combine(directory.FullName, "access");
            File.WriteAllText(good, RealisticFile);
            Assert.Equal(27, AccessMapParser.Load(good).Entries.Count);

            var bad = Path.Combine(directory.FullName, "bad");
            File.WriteAllText(bad, "ok.org RELAY\nbad.org MAYBE\n");
            var error = Assert.Throws<AccessMapException>(() => AccessMapParser.Load(bad));
            Assert.StartsWith(bad + ":2: ", error.Errors.Single(), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(true);
        }
    }

    [Fact]
    public void Certificate_digest_keys_are_normalized()
    {
        var hex = string.Concat(Enumerable.Repeat("AB", 32));
        var colons = string.Join(':', Enumerable.Repeat("ab", 32));

        var map = AccessMapParser.Parse($"CERTFP:SHA256:{hex} RELAY\nCERTSPKI:sha256:{colons} OK\n", "access");

        Assert.All(map.Entries, e => Assert.Equal("sha256:" + hex.ToLowerInvariant(), e.Key));
    }

    private static AccessEntry Entry(string line) => AccessMapParser.Parse(line, "access").Entries.Single();
}
