using System.Text;
using Postern.Server.Connections;

namespace Postern.Tests.Server.Connections;

public sealed class RentedReplyBufferTests
{
    [Fact]
    public void Holds_no_array_until_a_reply_is_queued_and_none_after_release()
    {
        var buffer = new RentedReplyBuffer();
        Assert.Equal(0, buffer.WrittenCount);
        Assert.True(buffer.WrittenMemory.IsEmpty);

        Encoding.ASCII.GetBytes("250 OK\r\n", buffer);
        Assert.Equal("250 OK\r\n", Encoding.ASCII.GetString(buffer.WrittenMemory.Span));

        buffer.Release();
        Assert.Equal(0, buffer.WrittenCount);
        Assert.True(buffer.WrittenMemory.IsEmpty);
        buffer.Release(); // twice is harmless: the session's end releases after a flush did
    }

    [Fact]
    public void Keeps_every_byte_in_order_when_the_replies_outgrow_the_first_array()
    {
        var buffer = new RentedReplyBuffer();
        var expected = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            var line = $"250-line {i} of a long EHLO-like reply\r\n";
            Encoding.ASCII.GetBytes(line, buffer);
            expected.Append(line);
        }

        Assert.Equal(expected.ToString(), Encoding.ASCII.GetString(buffer.WrittenMemory.Span));

        buffer.Release();
        Encoding.ASCII.GetBytes("221 bye\r\n", buffer);
        Assert.Equal("221 bye\r\n", Encoding.ASCII.GetString(buffer.WrittenMemory.Span));
    }

    [Fact]
    public void Advancing_past_what_was_handed_out_is_refused()
    {
        var buffer = new RentedReplyBuffer();
        Assert.Throws<InvalidOperationException>(() => buffer.Advance(1));
        var handedOut = buffer.GetSpan(4).Length;
        Assert.Throws<InvalidOperationException>(() => buffer.Advance(handedOut + 1));
    }
}
