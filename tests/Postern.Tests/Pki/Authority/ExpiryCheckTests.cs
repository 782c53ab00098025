using Postern.Pki.Authority;

namespace Postern.Tests.Pki.Authority;

public sealed class ExpiryCheckTests
{
    private static readonly DateTimeOffset End = new(2027, 1, 31, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-31, ExpiryState.Valid, 31)]
    [InlineData(-30, ExpiryState.Valid, 30)]
    [InlineData(-29, ExpiryState.Expiring, 29)]
    [InlineData(0, ExpiryState.Expired, 0)]
    [InlineData(2, ExpiryState.Expired, -2)]
    public void States_and_days_left(int daysFromEnd, ExpiryState expected, int daysLeft)
    {
        var now = End.AddDays(daysFromEnd);
        Assert.Equal(expected, ExpiryCheck.State(End, now, 30));
        Assert.Equal(daysLeft, ExpiryCheck.DaysLeft(End, now));
    }
}
