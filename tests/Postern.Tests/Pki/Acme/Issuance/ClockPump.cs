using Microsoft.Extensions.Time.Testing;

namespace Postern.Tests.Pki.Acme.Issuance;

/// <summary>Advances a fake clock a second at a time until the task ends, so polls and deadlines pass without real waiting.</summary>
internal static class ClockPump
{
    public static async Task<T> RunAsync<T>(FakeTimeProvider clock, Func<Task<T>> work, TimeSpan? step = null)
    {
        var task = work();
        for (var i = 0; i < 20_000 && !task.IsCompleted; i++)
        {
            await Task.Delay(1);
            clock.Advance(step ?? TimeSpan.FromSeconds(1));
        }
        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
