using System.Text;
using Postern.Protocol.Client;

namespace Postern.Tests.Protocol.Client;

public sealed class DotStufferTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n.\r\n")]
    [InlineData(".a\r\n..b\r\n.\r\n", "..a\r\n...b\r\n..\r\n.\r\n")]
    [InlineData("no end", "no end\r\n.\r\n")]
    [InlineData("x\r\n.", "x\r\n..\r\n.\r\n")]
    [InlineData("", ".\r\n")]
    [InlineData("a.b\r\n x.\r\n", "a.b\r\n x.\r\n.\r\n")]
    [InlineData("bare\rcr.\r\n", "bare\rcr.\r\n.\r\n")]
    public void Stuffs_in_every_split(string input, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        for (var chunk = 1; chunk <= Math.Max(1, bytes.Length); chunk++)
        {
            Assert.Equal(expected, Encode(bytes, chunk));
        }
    }

    [Fact]
    public async Task The_writer_streams_and_counts_content_bytes()
    {
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(".line\r\n", 20_000)));
        var output = new MemoryStream();
        var count = await DotStuffingWriter.WriteAsync(new MemoryStream(body), output, default);
        Assert.Equal(body.Length, count);
        Assert.Equal(string.Concat(Enumerable.Repeat("..line\r\n", 20_000)) + ".\r\n", Encoding.ASCII.GetString(output.ToArray()));
    }

    private static string Encode(byte[] input, int chunk)
    {
        var stuffer = new DotStuffer();
        var output = new List<byte>();
        for (var i = 0; i < input.Length; i += chunk)
        {
            var part = input.AsSpan(i, Math.Min(chunk, input.Length - i));
            var buffer = new byte[part.Length * 2];
            output.AddRange(buffer.AsSpan(0, stuffer.Encode(part, buffer)).ToArray());
        }
        var end = new byte[5];
        output.AddRange(end.AsSpan(0, stuffer.Finish(end)).ToArray());
        return Encoding.ASCII.GetString([.. output]);
    }
}
