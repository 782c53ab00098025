using System.Text;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Delivery.Aliases;
using Postern.Delivery.Local;

namespace Postern.Tests.Delivery.Local;

public sealed class LocalRecipientDirectoryTests
{
    private static LocalDeliveryOptions Options(string? postmasterUser = null, bool allowPipes = false) => new()
    {
        Domains = ["example.org", "Mail.Example.ORG."],
        Users = ["alice", "Bob", "root"],
        MailboxRoot = "/nonexistent",
        PostmasterUser = postmasterUser ?? "postmaster",
        AllowPipeAliases = allowPipes,
    };

    private static LocalRecipientDirectory Directory(string aliases = "", string? postmasterUser = null, bool allowPipes = false) =>
        new(
            Options(postmasterUser, allowPipes),
            aliases.Length == 0 ? null : AliasesFile.Parse(Encoding.UTF8.GetBytes(aliases), "aliases", allowPipes, false));

    private static Mailbox Address(string text)
    {
        var at = text.LastIndexOf('@');
        return new Mailbox(text[..at], text[(at + 1)..]);
    }

    private static IEnumerable<string> Targets(AliasExpansion expansion) =>
        expansion.Targets.Select(t => t.Kind + ":" + t.Value);

    [Theory]
    [InlineData("example.org", true)]
    [InlineData("EXAMPLE.org", true)]
    [InlineData("example.org.", true)]
    [InlineData("mail.example.org", true)]
    [InlineData("other.test", false)]
    [InlineData("sub.example.org", false)]
    public void Local_domains_are_case_insensitive_and_tolerate_a_trailing_dot(string domain, bool local)
    {
        Assert.Equal(local, Directory().IsLocalDomain(domain));
    }

    [Theory]
    [InlineData("alice@example.org", LocalRecipientStatus.Known)]
    [InlineData("ALICE@Example.Org", LocalRecipientStatus.Known)]
    [InlineData("bob@mail.example.org.", LocalRecipientStatus.Known)]
    [InlineData("alice+lists@example.org", LocalRecipientStatus.Known)]
    [InlineData("info@example.org", LocalRecipientStatus.Known)]
    [InlineData("Info+Sales@example.org", LocalRecipientStatus.Known)]
    [InlineData("postmaster@example.org", LocalRecipientStatus.Known)]
    [InlineData("PostMaster@example.org", LocalRecipientStatus.Known)]
    [InlineData("nobody@example.org", LocalRecipientStatus.Unknown)]
    [InlineData("+alice@example.org", LocalRecipientStatus.Unknown)]
    [InlineData("alice@other.test", LocalRecipientStatus.Unknown)]
    [InlineData("alice.smith@example.org", LocalRecipientStatus.Unknown)]
    public void Lookup_knows_users_aliases_details_and_postmaster(string address, LocalRecipientStatus expected)
    {
        var directory = Directory("info: alice, bob\n");

        Assert.Equal(expected, directory.Lookup(Address(address)));
    }

    [Fact]
    public void Postmaster_is_known_without_any_aliases_file()
    {
        Assert.Equal(LocalRecipientStatus.Known, Directory().Lookup(Address("postmaster@example.org")));
    }

    [Fact]
    public void Postmaster_follows_its_alias_first_then_the_configured_user()
    {
        Assert.Equal(["Mailbox:alice"], Targets(Directory("postmaster: alice\n", postmasterUser: "root").Expand(Address("Postmaster@example.org"))));
        Assert.Equal(["Mailbox:root"], Targets(Directory(postmasterUser: "Root").Expand(Address("postmaster@example.org"))));
        Assert.Equal(["Mailbox:alice", "Mailbox:bob"], Targets(Directory("admins: alice, bob\n", postmasterUser: "admins").Expand(Address("postmaster@example.org"))));
        // The default "postmaster" that is no user: the target stays, and delivery says 5.1.1.
        Assert.Equal(["Mailbox:postmaster"], Targets(Directory().Expand(Address("postmaster@example.org"))));
    }

    [Fact]
    public void An_unreadable_include_file_is_a_temporary_failure_at_lookup()
    {
        var directory = Directory("staff: :include:/nonexistent/postern/staff\n");

        Assert.Equal(LocalRecipientStatus.TemporaryFailure, directory.Lookup(Address("staff@example.org")));
        var expansion = directory.Expand(Address("staff@example.org"));
        Assert.Equal(ExpansionStatus.TemporaryFailure, expansion.Status);
        Assert.Contains("/nonexistent/postern/staff", expansion.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Expansion_follows_nested_aliases_and_keeps_external_targets()
    {
        var directory = Directory("info: alice, bob\nsales: info, Carol@External.Test, info@example.org\n");

        var expansion = directory.Expand(Address("sales@example.org"));

        Assert.Equal(ExpansionStatus.Ok, expansion.Status);
        Assert.True(expansion.Aliased);
        Assert.Equal(["Mailbox:alice", "Mailbox:bob", "Forward:Carol@external.test"], Targets(expansion));
    }

    [Fact]
    public void Addresses_in_local_domains_are_local_names_again()
    {
        var directory = Directory("fwd: ALICE@Mail.Example.Org, bob+x@example.org\n");

        Assert.Equal(["Mailbox:alice", "Mailbox:bob"], Targets(directory.Expand(Address("fwd@example.org"))));
    }

    [Fact]
    public void A_plain_user_is_not_aliased_and_detail_goes_to_the_user()
    {
        var expansion = Directory().Expand(Address("Alice+Lists@example.org"));

        Assert.False(expansion.Aliased);
        Assert.Equal(["Mailbox:alice"], Targets(expansion));
    }

    [Fact]
    public void An_alias_named_with_the_plus_wins_over_the_detail_rule()
    {
        var directory = Directory("alice+spam: bob\n");

        Assert.Equal(["Mailbox:bob"], Targets(directory.Expand(Address("alice+spam@example.org"))));
        Assert.Equal(["Mailbox:alice"], Targets(directory.Expand(Address("alice+other@example.org"))));
    }

    [Fact]
    public void Aliases_win_over_users_and_a_backslash_means_the_users_own_mailbox()
    {
        var directory = Directory("bob: carol@external.test\nkeep: \\bob\nboth: \\alice, alice\n");

        Assert.Equal(["Forward:carol@external.test"], Targets(directory.Expand(Address("bob@example.org"))));
        Assert.Equal(["Mailbox:bob"], Targets(directory.Expand(Address("keep@example.org"))));
        Assert.Equal(["Mailbox:alice"], Targets(directory.Expand(Address("both@example.org"))));
    }

    [Fact]
    public void A_user_aliased_to_itself_gets_its_own_mailbox_too()
    {
        var directory = Directory("bob: bob, bob@external.test\n");

        Assert.Equal(["Mailbox:bob", "Forward:bob@external.test"], Targets(directory.Expand(Address("bob@example.org"))));
    }

    [Fact]
    public void Targets_are_deduplicated_in_first_seen_order()
    {
        var directory = Directory("a: bob, alice, b\nb: alice, ALICE, c\nc: bob@example.org, alice\n");

        Assert.Equal(["Mailbox:bob", "Mailbox:alice"], Targets(directory.Expand(Address("a@example.org"))));
    }

    [Fact]
    public void A_loop_with_nothing_to_deliver_fails()
    {
        var directory = Directory("loop1: loop2\nloop2: loop3\nloop3: loop1\nhalf: loop1, alice\n");

        var expansion = directory.Expand(Address("loop1@example.org"));
        Assert.Equal(ExpansionStatus.Failed, expansion.Status);
        Assert.Equal("Alias loop", expansion.Problem);
        Assert.Equal(LocalRecipientStatus.Known, directory.Lookup(Address("loop1@example.org")));
        // The looping branch is dropped; the rest is delivered.
        Assert.Equal(["Mailbox:alice"], Targets(directory.Expand(Address("half@example.org"))));
    }

    [Fact]
    public void Nesting_deeper_than_the_cap_fails()
    {
        static string Chain(int length)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < length; i++)
            {
                builder.Append($"a{i}: a{i + 1}\n");
            }
            return builder.Append($"a{length}: alice\n").ToString();
        }

        Assert.Equal(["Mailbox:alice"], Targets(Directory(Chain(LocalRecipientDirectory.MaxAliasDepth - 1)).Expand(Address("a0@example.org"))));
        var deep = Directory(Chain(LocalRecipientDirectory.MaxAliasDepth + 1)).Expand(Address("a0@example.org"));
        Assert.Equal(ExpansionStatus.Failed, deep.Status);
        Assert.Contains("nesting", deep.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_files_are_read_at_expansion()
    {
        using var temp = new TempDirectory();
        var staff = temp.WriteFile("staff", "# the staff\nalice, bob,\n\tcarol@external.test\n:include:" + temp.Combine("more") + "\n");
        temp.WriteFile("more", "root\nalice\n");
        var directory = Directory($"staff: :include:{staff}\n");

        var expansion = directory.Expand(Address("staff@example.org"));

        Assert.Equal(ExpansionStatus.Ok, expansion.Status);
        Assert.Equal(["Mailbox:alice", "Mailbox:bob", "Forward:carol@external.test", "Mailbox:root"], Targets(expansion));
    }

    [Fact]
    public void Include_files_follow_the_pipe_rule_and_bad_ones_defer()
    {
        using var temp = new TempDirectory();
        var staff = temp.WriteFile("staff", "alice\n\"|/bin/cat\"\n");
        var directory = Directory($"staff: :include:{staff}\n");

        var expansion = directory.Expand(Address("staff@example.org"));

        Assert.Equal(ExpansionStatus.TemporaryFailure, expansion.Status);
        Assert.Contains(staff + ":2: pipe alias", expansion.Problem, StringComparison.Ordinal);
        Assert.Equal(["Mailbox:alice", "Pipe:/bin/cat"], Targets(Directory($"staff: :include:{staff}\n", allowPipes: true).Expand(Address("staff@example.org"))));
    }

    [Fact]
    public void An_include_that_includes_itself_is_a_loop()
    {
        using var temp = new TempDirectory();
        var self = temp.Combine("self");
        File.WriteAllText(self, $"alice, :include:{self}\n");

        Assert.Equal(["Mailbox:alice"], Targets(Directory($"s: :include:{self}\n").Expand(Address("s@example.org"))));
    }

    [Fact]
    public void Unknown_and_non_local_recipients_do_not_expand()
    {
        var directory = Directory("info: alice\n");

        Assert.Equal(ExpansionStatus.Unknown, directory.Expand(Address("nobody@example.org")).Status);
        Assert.Equal(ExpansionStatus.Unknown, directory.Expand(Address("info@other.test")).Status);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\nb")]
    [InlineData("")]
    public void Unsafe_user_names_in_the_options_are_refused(string user)
    {
        var options = Options() with { Users = ["alice", user] };

        Assert.Throws<ArgumentException>(() => new LocalRecipientDirectory(options, null));
    }

    [Fact]
    public void Load_reads_the_configured_aliases_file_and_reports_its_errors()
    {
        using var temp = new TempDirectory();
        var good = temp.WriteFile("aliases", "info: alice\n");
        var bad = temp.WriteFile("bad", "info: \"|/bin/cat\"\n");

        var directory = LocalRecipientDirectory.Load(Options() with { AliasesFile = good });

        Assert.Equal(LocalRecipientStatus.Known, directory.Lookup(Address("info@example.org")));
        var ex = Assert.Throws<AliasesParseException>(() => LocalRecipientDirectory.Load(Options() with { AliasesFile = bad }));
        Assert.Equal(bad, Assert.Single(ex.Errors).File);
    }
}
