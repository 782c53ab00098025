using System.Text;
using Postern.Pki.Acme.Dns;

namespace Postern.Tests.Pki.Acme.Dns;

public sealed class TsigKeyFileTests
{
    private const string Secret = "nH9H3oVPtZo6F9bQU4qKzn7+E4IkK7G4ob6pksET7Wo=";

    private static TsigKey Parse(string text) => TsigKeyFile.Parse(Encoding.UTF8.GetBytes(text), "acme.tsig");

    private static TsigKeyFileException Refuse(string text) => Assert.Throws<TsigKeyFileException>(() => Parse(text));

    [Fact]
    public void Reads_what_tsig_keygen_writes()
    {
        var key = Parse($"key \"acme-update\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{Secret}\";\n}};\n");

        Assert.Equal("acme-update", key.Name);
        Assert.Same(TsigAlgorithm.HmacSha256, key.Algorithm);
        Assert.Equal(Convert.FromBase64String(Secret), key.Secret);
    }

    [Fact]
    public void Reads_the_knsupdate_one_line_form()
    {
        var key = Parse($"# made with keymgr -t\nhmac-sha512:acme-key.:{Secret}\n");

        Assert.Equal("acme-key.", key.Name);
        Assert.Same(TsigAlgorithm.HmacSha512, key.Algorithm);
    }

    [Fact]
    public void Comments_of_every_kind_and_any_statement_order_are_taken()
    {
        var key = Parse($"/* made by\n ddns-confgen */\n// the key\nkey acme {{ # inline\n secret \"{Secret}\"; algorithm HMAC-SHA1.;\n}};");

        Assert.Equal("acme", key.Name);
        Assert.Same(TsigAlgorithm.HmacSha1, key.Algorithm);
    }

    [Fact]
    public void A_secret_with_double_slashes_stays_whole_in_the_one_line_form()
    {
        var key = Parse("hmac-sha256:k:////AAAA\n");

        Assert.Equal(Convert.FromBase64String("////AAAA"), key.Secret);
    }

    [Theory]
    [InlineData("key \"a\" {\n algorithm hmac-md5;\n secret \"AAAA\";\n};", 2, "unsupported TSIG algorithm 'hmac-md5'")]
    [InlineData("key \"a\" {\n algorithm hmac-sha256;\n secret \"not base64!\";\n};", 3, "the secret is not base64")]
    [InlineData("key \"a\" {\n algorithm hmac-sha256;\n};", 3, "the key a has no secret")]
    [InlineData("key \"a\" {\n secret \"AAAA\";\n}", 3, "the file ends where ';' was expected")]
    [InlineData("key \"a\" {\n algorithm hmac-sha256;\n secret \"AAAA\";\n};\nkey \"b\" { };", 5, "more than one key")]
    [InlineData("key \"a\" {\n algorithm hmac-sha256;\n owner \"x\";\n};", 3, "unknown statement 'owner'")]
    [InlineData("key \"a\" {\n secret \"AAAA\n", 2, "a quoted string is not closed")]
    [InlineData("\n\nhmac-sha256:only-two-parts", 3, "expected key")]
    [InlineData("# nothing here\n", 1, "no key in the file")]
    [InlineData("hmac-sha256:bad..name:AAAA", 1, "the key name")]
    [InlineData("/* open", 1, "a /* comment is not closed")]
    public void A_bad_file_names_its_line(string text, int line, string reason)
    {
        var e = Refuse(text);

        Assert.Equal(line, e.Line);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"acme.tsig:{line}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_key_file_error_not_an_io_exception()
    {
        var e = Assert.Throws<TsigKeyFileException>(() => TsigKeyFile.Load("/nonexistent/acme.tsig"));

        Assert.StartsWith("/nonexistent/acme.tsig:0: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secret_never_appears_in_the_keys_text()
    {
        var key = Parse($"hmac-sha256:acme:{Secret}");

        Assert.DoesNotContain(Secret, key.ToString(), StringComparison.Ordinal);
    }
}
