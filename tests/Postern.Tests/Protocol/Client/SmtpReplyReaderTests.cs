using System.IO.Pipelines;
using System.Text;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Tests.Protocol.Client;

public sealed class SmtpReplyReaderTests
{
    private static async Task<SmtpReply> ReadAsync(string wire, SmtpReplyReader? reader = null)
    {
        var pipe = PipeReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(wire)));
        return await (reader ?? new SmtpReplyReader()).ReadAsync(pipe, default);
    }

    [Fact]
    public async Task Reads_a_single_line_with_an_enhanced_code()
    {
        var reply = await ReadAsync("250 2.1.0 Sender ok\r\n");
        Assert.Equal(250, reply.Code);
        Assert.Equal(new EnhancedStatusCode(2, 1, 0), reply.Status);
        Assert.Equal(["Sender ok"], reply.Lines);
        Assert.Equal("250 2.1.0 Sender ok\r\n", reply.ToWireString());
    }

    [Fact]
    public async Task Reads_a_multi_line_reply_and_leaves_the_next_one()
    {
        var pipe = PipeReader.Create(new MemoryStream(Encoding.ASCII.GetBytes("250-mx.test hello\r\n250-PIPELINING\r\n250 SIZE 100\r\n354 go\r\n")));
        var reader = new SmtpReplyReader();
        var ehlo = await reader.ReadAsync(pipe, default);
        var next = await reader.ReadAsync(pipe, default);
        Assert.Equal(["mx.test hello", "PIPELINING", "SIZE 100"], ehlo.Lines);
        Assert.Null(ehlo.Status);
        Assert.Equal(354, next.Code);
    }

    [Theory]
    [InlineData("250\r\n", "")]
    [InlineData("250 ok\n", "ok")]
    [InlineData("550 5.1.1\r\n", "")]
    public async Task Accepts_short_forms(string wire, string text)
    {
        var reply = await ReadAsync(wire);
        Assert.Equal(text, reply.Lines[0]);
    }

    [Fact]
    public async Task A_status_of_another_class_stays_text()
    {
        var reply = await ReadAsync("550 2.0.0 odd\r\n");
        Assert.Null(reply.Status);
        Assert.Equal("2.0.0 odd", reply.Lines[0]);
    }

    [Theory]
    [InlineData("25 short\r\n")]
    [InlineData("abc text\r\n")]
    [InlineData("250x text\r\n")]
    [InlineData("150 too low\r\n")]
    [InlineData("250-one\r\n251 two\r\n")]
    [InlineData("250-unterminated\r\n")]
    [InlineData("250 no line end")]
    [InlineData("")]
    public async Task Malformed_replies_throw(string wire)
    {
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ReadAsync(wire));
    }

    [Fact]
    public async Task Line_length_and_line_count_are_bounded()
    {
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ReadAsync("250 " + new string('x', 100) + "\r\n", new SmtpReplyReader(maxLineLength: 64)));
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ReadAsync(string.Concat(Enumerable.Repeat("250-x\r\n", 5)) + "250 x\r\n", new SmtpReplyReader(maxLines: 3)));
    }

    [Fact]
    public async Task Control_characters_do_not_reach_the_text()
    {
        var reply = await ReadAsync("550 5.7.1 bad\u0007bell\r\n");
        Assert.Equal("bad?bell", reply.Lines[0]);
    }
}
