using Postern.Tools.Migration;

namespace Postern.Tests.Tools.Migration;

public sealed class M4ReaderTests
{
    [Fact]
    public void Calls_lose_one_quote_level_and_keep_their_lines()
    {
        var items = M4Reader.Read("dnl a comment\ndefine(`confX', `a `nested' value')dnl\n# another\nDAEMON_OPTIONS(`Port=465, Name=SSA, M=Eas')\n");

        var define = Assert.IsType<M4Call>(items[0]);
        Assert.Equal(("define", 2, "confX", "a `nested' value"), (define.Name, define.Line, define.Argument(0), define.Argument(1)));
        var daemon = Assert.IsType<M4Call>(items[1]);
        Assert.Equal((4, "Port=465, Name=SSA, M=Eas"), (daemon.Line, daemon.Argument(0)));
        Assert.Equal(2, items.Count);
    }

    [Fact]
    public void Empty_arguments_and_commas_inside_quotes_are_kept_apart()
    {
        var call = Assert.IsType<M4Call>(Assert.Single(M4Reader.Read("FEATURE(`access_db', , `skip')")));

        Assert.Equal(["access_db", "", "skip"], call.Arguments.Select(a => a.Text));
    }

    [Fact]
    public void Text_after_LOCAL_RULESETS_is_text_lines()
    {
        var items = M4Reader.Read("LOCAL_RULESETS\nSLocal_check_rcpt\nR$* $: $&{verify}\n");

        Assert.Equal("LOCAL_RULESETS", Assert.IsType<M4Call>(items[0]).Name);
        Assert.Equal(("R$* $: $&{verify}", 3), (Assert.IsType<M4TextLine>(items[2]).Text, items[2].Line));
    }

    [Fact]
    public void Helper_macros_and_empty_quotes_expand_like_m4()
    {
        var expander = new M4Expander();
        expander.Define("CERT_DIR", "MAIL_SETTINGS_DIR`'certs");

        Assert.Equal("/etc/mail/certs/cacert.pem", expander.Expand("CERT_DIR/cacert.pem"));
    }

    [Fact]
    public void A_self_referencing_macro_stops()
    {
        var expander = new M4Expander();
        expander.Define("LOOP", "x LOOP");

        Assert.StartsWith("x x x", expander.Expand("LOOP"), StringComparison.Ordinal);
    }
}
