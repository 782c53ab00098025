using System.Buffers;
using System.Text;
using Postern.Delivery.Local;

namespace Postern.Tests.Delivery.Local;

public sealed class MboxEncoderTests
{
    private static string Encode(string input, int chunk)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        var encoder = new MboxEncoder();
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            encoder.Encode(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), output);
        }
        encoder.Finish(output);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Quotes_from_lines_and_converts_crlf_in_any_chunking(int chunk)
    {
        const string Input = "Subject: x\r\n\r\nFrom me\r\n>From you\r\n>>From\r\nFrom\r\nFro\r\nlone\rcr\r\nxFrom y\r\n>>x\r\nlast";

        Assert.Equal(
            "Subject: x\n\n>From me\n>>From you\n>>From\nFrom\nFro\nlone\rcr\nxFrom y\n>>x\nlast\n\n",
            Encode(Input, chunk));
    }

    [Fact]
    public void A_message_ending_with_a_newline_gets_just_the_separator()
    {
        Assert.Equal("a\n\n", Encode("a\r\n", 1));
        Assert.Equal(">From \n\n", Encode("From ", 1));
        Assert.Equal("\r\n\n", Encode("\r", 1));
    }
}
