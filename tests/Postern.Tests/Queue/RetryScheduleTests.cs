using Postern.Queue;

namespace Postern.Tests.Queue;

public sealed class RetryScheduleTests
{
    private static readonly IReadOnlyList<TimeSpan> Steps = QueueOptions.DefaultRetrySchedule;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(3, 15)]
    [InlineData(4, 30)]
    [InlineData(5, 60)]
    [InlineData(6, 120)]
    [InlineData(7, 120)]
    [InlineData(50, 120)]
    public void Without_jitter_the_wait_is_the_step_and_the_last_step_repeats(int attempts, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), RetrySchedule.Delay(Steps, attempts, 0, new Random(1)));

    [Fact]
    public void The_default_schedule_is_1m_5m_15m_30m_1h_then_every_2h() =>
        Assert.Equal([1, 5, 15, 30, 60, 120], Steps.Select(s => s.TotalMinutes));

    [Fact]
    public void Jitter_stays_within_ten_percent_and_varies()
    {
        var random = new Random(42);
        var waits = Enumerable.Range(0, 1000).Select(_ => RetrySchedule.Delay(Steps, 2, 0.1, random)).ToArray();

        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(5.5)));
        Assert.True(waits.Distinct().Count() > 100);
        Assert.Contains(waits, w => w < TimeSpan.FromMinutes(4.8));
        Assert.Contains(waits, w => w > TimeSpan.FromMinutes(5.2));
    }
}
