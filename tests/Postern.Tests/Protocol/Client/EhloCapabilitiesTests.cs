using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Tests.Protocol.Client;

public sealed class EhloCapabilitiesTests
{
    [Fact]
    public void Reads_the_keywords_after_the_greeting_line()
    {
        var reply = SmtpReply.WithoutStatus(250, "mx.test PIPELINING is a greeting word here", "pipelining", "SIZE 35882577", "8BITMIME", "SMTPUTF8", "DSN", "STARTTLS",
            "ENHANCEDSTATUSCODES", "CHUNKING", "AUTH PLAIN login", "AUTH=CRAM-MD5");
        var capabilities = EhloCapabilities.Parse(reply);
        Assert.True(capabilities.Pipelining && capabilities.EightBitMime && capabilities.SmtpUtf8 && capabilities.Dsn);
        Assert.True(capabilities.StartTls && capabilities.EnhancedStatusCodes && capabilities.Chunking && capabilities.Size);
        Assert.Equal(35882577, capabilities.MaxSize);
        Assert.Equal(["CRAM-MD5", "LOGIN", "PLAIN"], capabilities.AuthMechanisms.Order());
    }

    [Fact]
    public void The_greeting_line_alone_advertises_nothing()
    {
        var capabilities = EhloCapabilities.Parse(SmtpReply.WithoutStatus(250, "mx.test STARTTLS PIPELINING"));
        Assert.False(capabilities.StartTls);
        Assert.False(capabilities.Pipelining);
        Assert.Empty(capabilities.AuthMechanisms);
    }

    [Fact]
    public void Size_without_a_number_means_no_limit()
    {
        var capabilities = EhloCapabilities.Parse(SmtpReply.WithoutStatus(250, "mx.test", "SIZE"));
        Assert.True(capabilities.Size);
        Assert.Equal(0, capabilities.MaxSize);
    }

    [Theory]
    [InlineData("DELIVERBY 60", 60)]
    [InlineData("deliverby", 0)]
    public void Deliverby_and_its_minimum_are_read(string line, long minimum)
    {
        var capabilities = EhloCapabilities.Parse(SmtpReply.WithoutStatus(250, "mx.test", line));
        Assert.True(capabilities.DeliverBy);
        Assert.Equal(minimum, capabilities.MinByTime);
        Assert.False(EhloCapabilities.Parse(SmtpReply.WithoutStatus(250, "mx.test", "DSN")).DeliverBy);
    }
}
