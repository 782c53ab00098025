using Postern.Core.Smtp;
using Postern.Queue;

namespace Postern.Tests.Queue;

public sealed class MailLogFormatTests
{
    [Theory]
    [InlineData(0, "00:00:00")]
    [InlineData(3_725, "01:02:05")]
    [InlineData(93_784, "1+02:03:04")]
    [InlineData(-5, "00:00:00")]
    public void Delay_is_written_the_sendmail_way(int seconds, string expected) =>
        Assert.Equal(expected, MailLogFormat.Delay(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Dsn_falls_back_to_the_reply_class() =>
        Assert.Equal("4.0.0", MailLogFormat.Dsn(SmtpReply.WithoutStatus(421, "busy")));
}
