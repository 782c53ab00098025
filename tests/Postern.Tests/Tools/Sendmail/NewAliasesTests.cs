using System.Text;
using Postern.Delivery.Aliases;
using Postern.Tools.Sendmail;

namespace Postern.Tests.Tools.Sendmail;

public sealed class NewAliasesTests
{
    [Fact]
    public void Summary_counts_aliases_and_bytes_as_sendmail_does()
    {
        var aliases = AliasesFile.Parse(Encoding.UTF8.GetBytes("postmaster: alice\nteam: alice, bob\n"), "/etc/aliases", allowPipes: false, allowFiles: false);

        // postmaster(10) + alice(5); team(4) + "alice,bob"(9): longest 9, total 28.
        Assert.Equal("/etc/aliases: 2 aliases, longest 9 bytes, 28 bytes total", NewAliases.Summary("/etc/aliases", aliases));
    }
}
