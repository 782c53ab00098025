using System.Text;
using Postern.Core.Stages;

namespace Postern.Tests.Server.Stages;

public sealed class HeaderBlockTests
{
    [Theory]
    [InlineData("Subject: x\r\nFrom: a@b\r\n\r\nbody\r\n", 25)]
    [InlineData("Subject: x\r\n folded\r\n\r\nbody", 23)]
    [InlineData("\r\nbody\r\n", 2)]
    [InlineData("Subject: x\r\nnot a header line\r\nmore\r\n", 12)]
    [InlineData("Subject: x\r\nFrom: a", -1)]
    [InlineData("Subject: x\r\n", -1)]
    public void Measure_finds_the_end_of_the_header_block(string message, int expected)
    {
        Assert.Equal(expected, HeaderBlock.Measure(Encoding.ASCII.GetBytes(message)));
    }

    [Fact]
    public void Parse_keeps_folded_fields_whole_and_byte_exact()
    {
        var block = Encoding.UTF8.GetBytes("Subject: one\r\n two\r\nX-Empty:\r\nFrom: ä@b\r\n\r\n");

        var fields = HeaderBlock.Parse(block);

        Assert.Equal(["Subject", "X-Empty", "From"], fields.Select(f => f.Name));
        Assert.Equal("one\r\n two", fields[0].Value);
        Assert.Equal("Subject: one\r\n two\r\n", Encoding.UTF8.GetString(fields[0].ToBytes()));
        Assert.Equal("From: ä@b\r\n", Encoding.UTF8.GetString(fields[2].ToBytes()));
    }

    [Fact]
    public void A_field_written_by_a_handler_is_name_colon_space_value()
    {
        Assert.Equal("X-Spam: yes\r\n", Encoding.UTF8.GetString(new HeaderField("X-Spam", "yes").ToBytes()));
    }
}
