using System.Text;
using Postern.Tools.Sendmail;

namespace Postern.Tests.Tools.Sendmail;

public sealed class InputLineReaderTests
{
    private static async Task<List<(string Text, bool Complete)>> ReadAllAsync(string input, int bufferSize)
    {
        var reader = new InputLineReader(new MemoryStream(Encoding.ASCII.GetBytes(input)), bufferSize);
        var lines = new List<(string, bool)>();
        while (await reader.ReadAsync(CancellationToken.None) is { } line)
        {
            lines.Add((Encoding.ASCII.GetString(line.Bytes.Span), line.Complete));
        }
        return lines;
    }

    [Fact]
    public async Task Lf_and_crlf_end_lines_and_the_cr_is_dropped()
    {
        var lines = await ReadAllAsync("one\r\ntwo\nthree", 64);
        Assert.Equal([("one", true), ("two", true), ("three", false)], lines);
    }

    [Fact]
    public async Task A_line_longer_than_the_buffer_comes_in_chunks()
    {
        var lines = await ReadAllAsync("abcdefghij\nxy\n", 4);
        Assert.Equal("abcdefghij", string.Concat(lines.TakeWhile(l => !l.Complete).Select(l => l.Text)) + lines.First(l => l.Complete).Text);
        Assert.True(lines.Count > 2);
        Assert.Equal(("xy", true), lines[^1]);
    }

    [Theory]
    [InlineData("abc\r\nd\n")]
    [InlineData("abcdefg\r\n\r\nxyz\r\n.\r\n")]
    [InlineData("ab\rcd\r\n")]
    public async Task Chunks_and_lines_rebuild_the_input_without_crs_before_lf(string input)
    {
        var lines = await ReadAllAsync(input, 4);
        var rebuilt = string.Concat(lines.Select(l => l.Text + (l.Complete ? "\n" : "")));
        Assert.Equal(input.Replace("\r\n", "\n", StringComparison.Ordinal), rebuilt);
    }
}
