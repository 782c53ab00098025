using System.Text;
using Postern.Protocol.Data;

namespace Postern.Tests.Protocol.Data;

public sealed class LineEndNormalizerTests
{
    private static (string Output, BareLineEnds Counts) Run(params string[] chunks)
    {
        var normalizer = new LineEndNormalizer();
        var output = new StringBuilder();
        foreach (var chunk in chunks)
        {
            var input = Encoding.Latin1.GetBytes(chunk);
            var buffer = new byte[2 * input.Length];
            var written = normalizer.Normalize(input, buffer);
            output.Append(Encoding.Latin1.GetString(buffer, 0, written));
        }
        return (output.ToString(), normalizer.CompleteMessage());
    }

    [Theory]
    [InlineData("a\r\nb\r\n")]
    [InlineData("")]
    [InlineData("no line end")]
    [InlineData("\r\n\r\n\r\n")]
    public void Proper_crlf_passes_unchanged(string text) => Assert.Equal((text, BareLineEnds.None), Run(text));

    [Theory]
    [InlineData("a\nb", "a\r\nb", 1, 0)]
    [InlineData("\n", "\r\n", 1, 0)]
    [InlineData("a\rb", "a\rb", 0, 1)]
    [InlineData("a\r\r\n", "a\r\r\n", 0, 1)]
    [InlineData("a\n\r\n", "a\r\n\r\n", 1, 0)]
    [InlineData("a\r\n\n", "a\r\n\r\n", 1, 0)]
    [InlineData("a\r", "a\r", 0, 1)]
    [InlineData("\n.\n", "\r\n.\r\n", 2, 0)]
    [InlineData("\r\r\r", "\r\r\r", 0, 3)]
    public void Bare_lf_becomes_crlf_and_bare_cr_stays_each_counted(string text, string output, long lineFeeds, long carriageReturns) =>
        Assert.Equal((output, new BareLineEnds(lineFeeds, carriageReturns)), Run(text));

    [Fact]
    public void Crlf_split_across_chunks_is_one_line_end()
    {
        Assert.Equal(("a\r\nb\r\n", BareLineEnds.None), Run("a\r", "\nb\r", "\n"));
        Assert.Equal(("\r\n", BareLineEnds.None), Run("\r", "\n"));
    }

    [Fact]
    public void Cr_then_non_lf_across_chunks_is_bare()
    {
        Assert.Equal(new BareLineEnds(0, 1), Run("a\r", "b").Counts);
        Assert.Equal(new BareLineEnds(0, 1), Run("a\r", "\r\n").Counts);
        Assert.Equal(("a\r\nb", new BareLineEnds(1, 0)), Run("a", "\nb"));
    }

    [Fact]
    public void Trailing_cr_is_only_known_bare_at_the_end()
    {
        var normalizer = new LineEndNormalizer();
        normalizer.Normalize("abc\r"u8, new byte[8]);
        Assert.Equal(BareLineEnds.None, normalizer.Counts);
        Assert.Equal(new BareLineEnds(0, 1), normalizer.CompleteMessage());
    }

    [Fact]
    public void Output_must_have_room_for_twice_the_input() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineEndNormalizer().Normalize("\n\n"u8, new byte[3]));

    [Fact]
    public void Byte_by_byte_matches_whole_and_the_reference()
    {
        var random = new Random(17);
        for (var round = 0; round < 300; round++)
        {
            var data = new char[random.Next(0, 14)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = "ab\r\n"[random.Next(4)];
            }
            var text = new string(data);
            var whole = Run(text);
            Assert.Equal(whole, Run([.. text.Select(c => c.ToString())]));
            Assert.Equal(Reference(text), whole);
        }
    }

    private static (string, BareLineEnds) Reference(string text)
    {
        var output = new StringBuilder();
        long lineFeeds = 0, carriageReturns = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))
            {
                carriageReturns++;
            }
            if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            {
                lineFeeds++;
                output.Append('\r');
            }
            output.Append(text[i]);
        }
        return (output.ToString(), new BareLineEnds(lineFeeds, carriageReturns));
    }
}
