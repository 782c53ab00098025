using Postern.Core.Addressing;
using Postern.Policy.Auth;

namespace Postern.Tests.Policy.Auth;

public sealed class SenderLoginMapTests
{
    private static Mailbox Address(string text) => MailboxParser.TryParseMailbox(text, out var mailbox, out _) ? mailbox! : throw new ArgumentException(text);

    [Fact]
    public void Full_addresses_win_over_their_domain_and_match_without_case()
    {
        var map = SenderLoginMap.Parse("""
            # who may send as whom
            alice@example.org   alice
            @example.org        bob, carol
            Shared@Example.NET  alice,bob dave

            """, "logins");

        Assert.Equal(3, map.Count);
        Assert.Equal(["alice"], map.OwnersOf(Address("ALICE@example.org")));
        Assert.Equal(["bob", "carol"], map.OwnersOf(Address("anyone@EXAMPLE.org")));
        Assert.True(map.IsOwnedBy(Address("shared@example.net"), "Dave"));
        Assert.False(map.IsOwnedBy(Address("alice@example.org"), "bob"));
        Assert.Empty(map.OwnersOf(Address("x@elsewhere.example")));
    }

    [Theory]
    [InlineData("bob@example.org \"/C=US/O=Second Org/CN=Bob\"")]
    [InlineData("bob@example.org /C=US/O=Second+20Org/CN=Bob")]
    [InlineData("bob@example.org alice, \"/C=US/O=Second Org/CN=Bob\",carol")]
    [InlineData("bob@example.org alice /c=US/O=Second+20org/CN=Bob \"/C=US/O=Second Org/CN=Bob\"x")]
    public void A_certificate_identity_with_a_space_is_written_quoted_or_with_plus_20(string line)
    {
        var map = SenderLoginMap.Parse(line + "\n", "logins");

        Assert.True(map.IsOwnedBy(Address("bob@example.org"), "/C=US/O=Second Org/CN=Bob"));
        Assert.False(map.IsOwnedBy(Address("bob@example.org"), "/C=US/O=Second"));
    }

    [Fact]
    public void A_quoted_owner_is_taken_as_it_stands_and_other_owners_still_split()
    {
        var map = SenderLoginMap.Parse("@example.org alice,\"/O=A, Inc./CN=Joe+1\" bob\n", "logins");

        Assert.Equal(["alice", "/O=A, Inc./CN=Joe+1", "bob"], map.OwnersOf(Address("x@example.org")));
    }

    [Theory]
    [InlineData("bob@example.org \"/C=US/O=Second Org", "has no closing")]
    [InlineData("bob@example.org \"\"", "empty quoted")]
    [InlineData("bob@example.org /C=US/O=Second+2Org", "'/C=US/O=Second+2Org'")]
    public void A_bad_quoted_or_encoded_owner_is_an_error_with_its_line(string line, string expected)
    {
        var e = Assert.Throws<SenderLoginMapException>(() => SenderLoginMap.Parse("alice@example.org alice\n" + line + "\n", "logins"));

        var error = Assert.Single(e.Errors);
        Assert.StartsWith("logins:2: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_reported_with_file_and_line()
    {
        var e = Assert.Throws<SenderLoginMapException>(() => SenderLoginMap.Parse("""
            alice@example.org alice
            nobody@example.org
            not-an-address alice
            @bad_domain! alice
            alice@example.org bob
            """, "/etc/postern/logins"));

        Assert.Equal(4, e.Errors.Count);
        Assert.StartsWith("/etc/postern/logins:2: ", e.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("/etc/postern/logins:3: 'not-an-address' is neither", e.Errors[1], StringComparison.Ordinal);
        Assert.StartsWith("/etc/postern/logins:4: '@bad_domain!' is not @domain", e.Errors[2], StringComparison.Ordinal);
        Assert.Equal("/etc/postern/logins:5: 'alice@example.org' is listed twice (first on line 1)", e.Errors[3]);
    }

    [Fact]
    public void Load_reads_a_file_and_reports_a_missing_one()
    {
        var path = Path.Combine(Path.GetTempPath(), "postern-logins-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(path, "@example.org alice\n");
            Assert.True(SenderLoginMap.Load(path).IsOwnedBy(Address("x@example.org"), "alice"));
            File.Delete(path);
            var e = Assert.Throws<SenderLoginMapException>(() => SenderLoginMap.Load(path));
            Assert.StartsWith(path + ": ", Assert.Single(e.Errors), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
