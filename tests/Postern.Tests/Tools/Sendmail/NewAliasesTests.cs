using System.Text;
using System.Text.RegularExpressions;
using Postern.Delivery.Aliases;
using Postern.Tests.Config;
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

    [Fact]
    public void Without_an_aliases_file_it_names_the_key_that_sets_one()
    {
        var configuration = ConfigTestInputs.Load(ConfigTestInputs.OneListener).Configuration!;
        var output = new StringWriter();

        Assert.Equal(0, NewAliases.Run(configuration, verbose: false, output, new StringWriter()));

        // The key it names must be the one the configuration reads.
        var key = Regex.Match(output.ToString(), @"\(local\.([a-z_]+)\)").Groups[1].Value;
        var withIt = ConfigTestInputs.Load(ConfigTestInputs.OneListener + $"[local]\n{key} = \"/etc/aliases\"\n");
        Assert.True(withIt.Succeeded, string.Join("\n", withIt.Errors));
        Assert.Equal("/etc/aliases", withIt.Configuration.Local.AliasesFile);
    }
}
