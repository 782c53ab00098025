namespace Postern.Queue;

/// <summary>The wait before the next attempt: a step of <see cref="QueueOptions.RetrySchedule"/> with jitter.</summary>
internal static class RetrySchedule
{
    /// <summary>
    /// The wait after <paramref name="attempts"/> deferred attempts (1 = after the first): step
    /// <c>attempts - 1</c>, the last step once past the end, times a random factor in
    /// [1 - jitter, 1 + jitter].
    /// </summary>
    public static TimeSpan Delay(IReadOnlyList<TimeSpan> steps, int attempts, double jitter, Random random)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(random);
        var step = steps.Count == 0 ? TimeSpan.FromHours(1) : steps[Math.Clamp(attempts - 1, 0, steps.Count - 1)];
        if (jitter <= 0)
        {
            return step;
        }
        var factor = 1 + (Math.Min(jitter, 1) * ((2 * random.NextDouble()) - 1));
        return TimeSpan.FromTicks((long)(step.Ticks * factor));
    }
}
