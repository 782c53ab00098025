using Postern.Config;
using Postern.Core.Milters;

namespace Postern.Tests.Tools.Migration;

/// <summary>`postern config import-mc` on INPUT_MAIL_FILTER, MAIL_FILTER, confINPUT_MAIL_FILTERS and confMILTER_MACROS_*.</summary>
public sealed class McMilterImportTests
{
    [Fact]
    public void Filters_their_list_and_macros_become_milters()
    {
        using var import = new SeedImport();
        var (exit, toml, messages) = import.Run("milters.mc");

        Assert.Equal(0, exit);
        var configuration = Load(toml);
        var milters = configuration.Milters;
        Assert.Equal(["opendkim", "clamav", "spamass"], milters.ServerMilters);
        Assert.Equal(["opendkim", "spamass", "clamav", "unused"], milters.Definitions.Select(d => d.Name));

        var dkim = milters.Find("opendkim")!;
        Assert.Equal("inet:8891@localhost", dkim.Socket.ToString());
        Assert.Equal(MilterFailureAction.TempFail, dkim.DefaultAction);
        Assert.Equal((TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5)), (dkim.ConnectTimeout, dkim.CommandTimeout, dkim.EndOfMessageTimeout));
        Assert.Equal(["j", "{daemon_name}", "{client_addr}"], dkim.Macros[MilterMacroStage.Connect]);
        Assert.Equal(["i", "{auth_type}", "{auth_authen}", "{auth_ssf}", "{auth_author}", "{mail_mailer}", "{mail_host}", "{mail_addr}"], dkim.Macros[MilterMacroStage.Mail]);
        Assert.Empty(dkim.Macros[MilterMacroStage.EndOfMessage]);
        Assert.False(dkim.Macros.ContainsKey(MilterMacroStage.Helo));

        var spamass = milters.Find("spamass")!;
        Assert.Equal("unix:/run/spamass/spamass.sock", spamass.Socket.ToString());
        Assert.Equal(MilterFailureAction.Reject, spamass.DefaultAction);
        // sendmail's T= defaults where the .mc gives none.
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)), (spamass.ConnectTimeout, spamass.CommandTimeout, spamass.EndOfMessageTimeout));
        Assert.Equal(MilterFailureAction.Accept, milters.Find("clamav")!.DefaultAction);
        Assert.Equal("inet6:9999@[::1]", milters.Find("unused")!.Socket.ToString());

        Assert.Contains("milters.mc:7: note: MAIL_FILTER(`clamav') without F=R or F=T: sendmail goes on without an unreachable filter, so default_action = \"accept\"", messages, StringComparison.Ordinal);
        Assert.Contains("milters.mc:8: not translated: MAIL_FILTER(`unused') T= part `E:2h': Postern's milter timeouts are 1s to 1h", messages, StringComparison.Ordinal);
        Assert.Contains("milters.mc:8: note: MAIL_FILTER(`unused') is not in confINPUT_MAIL_FILTERS: written as a [[milter]] that no list runs", messages, StringComparison.Ordinal);
        Assert.Contains("milters.mc:9: not translated: confINPUT_MAIL_FILTERS names `missing', which no MAIL_FILTER defines (left out)", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("confMILTER_MACROS", messages.Replace("confMILTER_MACROS_ENVFROM`", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Input_mail_filters_alone_make_the_list_in_their_order()
    {
        using var import = new SeedImport();
        var (exit, toml, messages) = import.Run("input-filters-only.mc");

        Assert.Equal(0, exit);
        var milters = Load(toml).Milters;
        Assert.Equal(["opendkim", "opendmarc"], milters.ServerMilters);
        Assert.Equal(MilterFailureAction.Accept, milters.Find("opendkim")!.DefaultAction);
        Assert.Equal(MilterFailureAction.TempFail, milters.Find("opendmarc")!.DefaultAction);
        Assert.Empty(milters.Find("opendkim")!.Macros);
        Assert.Contains("import-mc: 0 item(s) not translated", messages, StringComparison.Ordinal);
    }

    private static PosternConfiguration Load(string toml)
    {
        var result = ConfigurationLoader.LoadFromText(toml, "postern.toml", new ConfigurationInputs(null, "/etc/postern", _ => null, "/srv", "mx.test")
        {
            FileExists = _ => true,
            DirectoryExists = _ => true,
        });
        Assert.True(result.Succeeded, string.Join("\n", result.Errors) + "\n" + toml);
        return result.Configuration;
    }
}
