using Postern.Tools.Sendmail;

namespace Postern.Tests.Tools.Sendmail;

public sealed class AddressListSplitterTests
{
    [Theory]
    [InlineData("alice, Bob <bob@localhost>", new[] { "alice", "Bob <bob@localhost>" })]
    [InlineData("\"Doe, Jane\" <jane@example.org>, x@y.z", new[] { "\"Doe, Jane\" <jane@example.org>", "x@y.z" })]
    [InlineData("team: a@b.c, d@e.f;, g@h.i", new[] { "a@b.c", "d@e.f", "g@h.i" })]
    [InlineData("undisclosed-recipients:;", new string[0])]
    [InlineData("a@b.c (Smith, J)", new[] { "a@b.c (Smith, J)" })]
    [InlineData("<a@b.c>,,", new[] { "<a@b.c>" })]
    public void Splits_at_top_level_commas(string text, string[] expected) => Assert.Equal(expected, AddressListSplitter.Split(text));
}
