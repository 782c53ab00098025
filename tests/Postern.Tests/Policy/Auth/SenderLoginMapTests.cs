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
