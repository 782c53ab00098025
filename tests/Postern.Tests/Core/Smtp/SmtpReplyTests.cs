using Postern.Core.Smtp;

namespace Postern.Tests.Core.Smtp;

public sealed class SmtpReplyTests
{
    [Fact]
    public void Replies_with_the_same_code_status_and_lines_are_equal()
    {
        var one = new SmtpReply(250, EnhancedStatusCode.Parse("2.0.0"), new List<string> { "first", "second" });
        var two = new SmtpReply(250, EnhancedStatusCode.Parse("2.0.0"), ["first", "second"]);
        Assert.Equal(one, two);
        Assert.True(one == two);
        Assert.Equal(one.GetHashCode(), two.GetHashCode());
    }

    [Theory]
    [InlineData(251, "2.0.0", "first", "second")]
    [InlineData(250, "2.1.0", "first", "second")]
    [InlineData(250, "2.0.0", "first", "Second")]
    [InlineData(250, "2.0.0", "first", null)]
    public void Any_difference_makes_replies_unequal(int code, string status, string first, string? second)
    {
        var reference = new SmtpReply(250, EnhancedStatusCode.Parse("2.0.0"), ["first", "second"]);
        IReadOnlyList<string> lines = second is null ? [first] : [first, second];
        var other = new SmtpReply(code, EnhancedStatusCode.Parse(status), lines);
        Assert.NotEqual(reference, other);
        Assert.True(reference != other);
    }

    [Fact]
    public void A_reply_without_status_differs_from_one_with_it()
    {
        Assert.NotEqual(SmtpReply.WithoutStatus(250, "Ok"), new SmtpReply(250, "2.0.0", "Ok"));
        Assert.Equal(SmtpReply.WithoutStatus(250, "Ok"), SmtpReply.WithoutStatus(250, "Ok"));
    }
}
