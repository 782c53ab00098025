using System.Text;
using Postern.Delivery.Aliases;

namespace Postern.Tests.Delivery.Aliases;

public sealed class AliasesFileTests
{
    private static AliasesFile Parse(string text, bool allowPipes = false, bool allowFiles = false) =>
        AliasesFile.Parse(Encoding.UTF8.GetBytes(text), "aliases", allowPipes, allowFiles);

    private static AliasesParseException ParseFails(string text, bool allowPipes = false, bool allowFiles = false) =>
        Assert.Throws<AliasesParseException>(() => Parse(text, allowPipes, allowFiles));

    [Fact]
    public void Parses_every_kind_of_value()
    {
        var aliases = Parse(
            """
            # system aliases
            root: alice, \bob, Carol@Example.ORG., <dave@example.net>, :include:/etc/mail/staff
            prog: "|/usr/bin/prog a, b", |/bin/cat
            archive: /var/mail/archive, "/var/mail/with space"
            """,
            allowPipes: true,
            allowFiles: true);

        Assert.Equal(3, aliases.Entries.Count);
        Assert.Equal(
            [
                new AliasValue(AliasValueKind.Local, "alice", Line: 2),
                new AliasValue(AliasValueKind.Local, "bob", NoAlias: true, Line: 2),
                new AliasValue(AliasValueKind.Address, "Carol@example.org", Line: 2),
                new AliasValue(AliasValueKind.Address, "dave@example.net", Line: 2),
                new AliasValue(AliasValueKind.Include, "/etc/mail/staff", Line: 2),
            ],
            aliases.Entries["root"].Values);
        Assert.Equal(
            [new AliasValue(AliasValueKind.Pipe, "/usr/bin/prog a, b", Line: 3), new AliasValue(AliasValueKind.Pipe, "/bin/cat", Line: 3)],
            aliases.Entries["prog"].Values);
        Assert.Equal(
            [new AliasValue(AliasValueKind.File, "/var/mail/archive", Line: 4), new AliasValue(AliasValueKind.File, "/var/mail/with space", Line: 4)],
            aliases.Entries["archive"].Values);
    }

    [Fact]
    public void Continuation_lines_join_the_entry_across_comments_and_blank_lines()
    {
        var aliases = Parse("# head\n\nteam: alice,\n  bob,\n# a comment inside\n\n\tcarol\nother: dave\r\n");

        var team = aliases.Entries["team"];
        Assert.Equal(3, team.Line);
        Assert.Equal(["alice", "bob", "carol"], team.Values.Select(v => v.Text));
        Assert.Equal(["dave"], aliases.Entries["other"].Values.Select(v => v.Text));
    }

    [Fact]
    public void Names_are_case_insensitive_and_stored_lowercase()
    {
        var aliases = Parse("Info-Desk: Alice\n");

        Assert.True(aliases.TryGet("info-desk", out var entry));
        Assert.True(aliases.TryGet("INFO-DESK", out _));
        Assert.Equal("info-desk", entry.Name);
        Assert.Equal("alice", entry.Values[0].Text);
    }

    [Fact]
    public void Duplicate_names_are_an_error_naming_both_lines()
    {
        var ex = ParseFails("a: b\n# x\nA: c\n");

        var error = Assert.Single(ex.Errors);
        Assert.Equal(new AliasesError("aliases", 3, "duplicate alias 'a' (first defined at line 1)"), error);
        Assert.Contains("aliases:3: duplicate alias 'a'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ok: x\nnocolon\n", 2, "missing ':'")]
    [InlineData(": x\n", 1, "empty alias name")]
    [InlineData("bad name: x\n", 1, "not a valid alias name")]
    [InlineData("a:\n", 1, "has no values")]
    [InlineData("a: , ,\n", 1, "has no values")]
    [InlineData("a: b c\n", 1, "not a valid local name")]
    [InlineData("a: \"|unterminated\n", 1, "unterminated quoted string")]
    [InlineData("a: \"bob\"\n", 1, "may be quoted")]
    [InlineData("a: :include:relative/file\n", 1, "must be absolute")]
    [InlineData("a: @example.org\n", 1, "not a valid address")]
    [InlineData("a: b@\n", 1, "not a valid address")]
    [InlineData("  leading: continuation\n", 1, "without a line to continue")]
    [InlineData("a: |\n", 1, "empty pipe command")]
    public void Syntax_errors_name_the_file_and_line(string text, int line, string message)
    {
        var ex = ParseFails(text, allowPipes: true);

        var error = Assert.Single(ex.Errors);
        Assert.Equal("aliases", error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_reported_not_just_the_first()
    {
        var ex = ParseFails("a: \"|cmd\"\nb: ok\nc: /var/log/x\nd\n");

        Assert.Equal([1, 3, 4], ex.Errors.Select(e => e.Line));
    }

    [Theory]
    [InlineData("a: \"|/bin/cat\"\n")]
    [InlineData("a: |/bin/cat\n")]
    [InlineData("a: b,\n  \"|/bin/cat\"\n")]
    public void Pipes_are_refused_unless_allowed(string text)
    {
        var error = Assert.Single(ParseFails(text, allowFiles: true).Errors);
        Assert.Contains("pipe aliases are not enabled", error.Message, StringComparison.Ordinal);
        Assert.Equal(AliasValueKind.Pipe, Parse(text, allowPipes: true).Entries["a"].Values[^1].Kind);
    }

    // Found by fuzzing (fuzz/corpus/aliases): file and :include: paths refused NUL, a pipe command
    // took it and failed only when delivery ran it.
    [Fact]
    public void A_pipe_command_with_a_nul_is_an_error()
    {
        var error = Assert.Single(ParseFails("run: \"|/usr/bin/app --queue\0x\"\n", allowPipes: true).Errors);

        Assert.Equal(1, error.Line);
        Assert.Contains("pipe command contains a NUL character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_are_refused_unless_allowed()
    {
        const string text = "keep: /var/mail/keep\n";

        var error = Assert.Single(ParseFails(text, allowPipes: true).Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("file aliases are not enabled", error.Message, StringComparison.Ordinal);
        Assert.Equal(AliasValueKind.File, Parse(text, allowFiles: true).Entries["keep"].Values[0].Kind);
    }

    [Fact]
    public void An_over_long_line_is_an_error()
    {
        var ex = ParseFails("a: b\nc: " + new string('x', AliasesFile.MaxLineBytes) + "\n");

        var error = Assert.Single(ex.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("longer than 8192 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_with_its_line()
    {
        var content = "a: b\nc: d?\n"u8.ToArray();
        content[^2] = 0xff;

        var ex = Assert.Throws<AliasesParseException>(() => AliasesFile.Parse(content, "aliases", false, false));

        Assert.Equal(2, Assert.Single(ex.Errors).Line);
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors()
    {
        using var temp = new TempDirectory();
        var good = temp.WriteFile("aliases", "postmaster: root\n");
        var bad = temp.WriteFile("bad", "postmaster root\n");

        Assert.Equal("root", AliasesFile.Load(good, false, false).Entries["postmaster"].Values[0].Text);
        var ex = Assert.Throws<AliasesParseException>(() => AliasesFile.Load(bad, false, false));
        Assert.StartsWith(bad + ":1: ", ex.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<IOException>(() => AliasesFile.Load(temp.Combine("missing"), false, false));
    }

    [Fact]
    public void A_file_over_the_size_cap_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("huge");
        using (var stream = File.Create(path))
        {
            stream.SetLength(AliasesFile.MaxFileBytes + 1);
        }

        var ex = Assert.Throws<AliasesParseException>(() => AliasesFile.Load(path, false, false));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(0, error.Line);
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }
}
