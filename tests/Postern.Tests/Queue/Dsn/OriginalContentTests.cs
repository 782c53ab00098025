using System.Text;
using Postern.Queue.Dsn;

namespace Postern.Tests.Queue.Dsn;

public sealed class OriginalContentTests
{
    [Theory]
    [InlineData("A: 1\r\nB: 2\r\n\r\nbody\r\n", "A: 1\r\nB: 2\r\n")]
    [InlineData("A: 1\nB: 2\n\nbody\n", "A: 1\r\nB: 2\r\n")]
    [InlineData("A: 1\r\n folded\r\n\r\n\r\nbody", "A: 1\r\n folded\r\n")]
    [InlineData("A: 1\r\nB: 2\r\n", "A: 1\r\nB: 2\r\n")]
    [InlineData("A: 1\r\nB: 2", "A: 1\r\n")]
    [InlineData("\r\nbody only\r\n", "")]
    [InlineData("", "")]
    public async Task Headers_end_at_the_blank_line_whatever_the_read_sizes(string message, string expected)
    {
        foreach (var chunk in new[] { 1, 2, 3, 4096 })
        {
            var headers = await OriginalContent.ReadHeadersAsync(new TrickleStream(Encoding.ASCII.GetBytes(message), chunk), 1024, CancellationToken.None);
            Assert.Equal(expected, Encoding.ASCII.GetString(headers));
        }
    }

    [Fact]
    public async Task Headers_past_the_limit_are_cut_at_a_whole_line()
    {
        var message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => $"X-Line-{i:D3}: value\r\n")) + "\r\nbody\r\n");

        var headers = await OriginalContent.ReadHeadersAsync(new MemoryStream(message), 100, CancellationToken.None);

        Assert.Equal("X-Line-000: value\r\nX-Line-001: value\r\nX-Line-002: value\r\nX-Line-003: value\r\nX-Line-004: value\r\n", Encoding.ASCII.GetString(headers));
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, to cross every boundary.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
