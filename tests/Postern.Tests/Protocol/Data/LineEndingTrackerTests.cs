using System.Text;
using Postern.Protocol.Data;

namespace Postern.Tests.Protocol.Data;

public sealed class LineEndingTrackerTests
{
    private static bool SawBare(params string[] chunks)
    {
        var tracker = new LineEndingTracker();
        foreach (var chunk in chunks)
        {
            tracker.Observe(Encoding.Latin1.GetBytes(chunk));
        }
        return tracker.CompleteMessage();
    }

    [Theory]
    [InlineData("a\r\nb\r\n")]
    [InlineData("")]
    [InlineData("no line end")]
    [InlineData("\r\n\r\n\r\n")]
    public void Proper_crlf_is_fine(string text) => Assert.False(SawBare(text));

    [Theory]
    [InlineData("a\nb")]
    [InlineData("\n")]
    [InlineData("a\rb")]
    [InlineData("a\r\r\n")]
    [InlineData("a\n\r\n")]
    [InlineData("a\r\n\n")]
    [InlineData("a\r")]
    public void Bare_cr_or_lf_is_flagged(string text) => Assert.True(SawBare(text));

    [Fact]
    public void Crlf_split_across_chunks_is_fine()
    {
        Assert.False(SawBare("a\r", "\nb\r", "\n"));
        Assert.False(SawBare("\r", "\n"));
    }

    [Fact]
    public void Cr_then_non_lf_across_chunks_is_flagged()
    {
        Assert.True(SawBare("a\r", "b"));
        Assert.True(SawBare("a\r", "\r\n"));
        Assert.True(SawBare("a", "\nb"));
    }

    [Fact]
    public void Trailing_cr_is_only_known_bare_at_the_end()
    {
        var tracker = new LineEndingTracker();
        tracker.Observe("abc\r"u8);
        Assert.False(tracker.SawBareLineEnding);
        Assert.True(tracker.CompleteMessage());
        Assert.True(tracker.SawBareLineEnding);
    }

    [Fact]
    public void Byte_by_byte_matches_whole()
    {
        var random = new Random(17);
        for (var round = 0; round < 200; round++)
        {
            var data = new byte[random.Next(0, 12)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (byte)"ab\r\n"[random.Next(4)];
            }
            var whole = new LineEndingTracker();
            whole.Observe(data);
            var split = new LineEndingTracker();
            foreach (var b in data)
            {
                split.Observe([b]);
            }
            Assert.Equal(whole.CompleteMessage(), split.CompleteMessage());
            Assert.Equal(Reference(data), whole.SawBareLineEnding);
        }
    }

    [Fact]
    public void Reset_forgets_everything()
    {
        var tracker = new LineEndingTracker();
        tracker.Observe("a\nb\r"u8);
        tracker.Reset();
        tracker.Observe("\nok\r\n"u8);
        Assert.True(tracker.CompleteMessage()); // the LF is bare: the CR before it was forgotten
        tracker.Reset();
        tracker.Observe("ok\r\n"u8);
        Assert.False(tracker.CompleteMessage());
    }

    private static bool Reference(byte[] data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == '\r' && (i + 1 == data.Length || data[i + 1] != '\n'))
            {
                return true;
            }
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
            {
                return true;
            }
        }
        return false;
    }
}
