using Postern.Server.Connections;

namespace Postern.Tests.Server.Connections;

/// <summary>Under stress the command and data timeouts shrink to the stress timeout, never grow.</summary>
public sealed class SessionTimeoutsTests
{
    [Fact]
    public void Stress_shortens_the_timeouts_and_its_end_restores_them()
    {
        var stress = false;
        var options = DialogHarness.DefaultOptions() with { StressTimeout = TimeSpan.FromSeconds(10), DataTimeout = TimeSpan.FromSeconds(5) };
        var timeouts = new SessionTimeouts(options, () => stress);
        Assert.Equal(TimeSpan.FromMinutes(5), timeouts.Command);
        stress = true;
        Assert.Equal(TimeSpan.FromSeconds(10), timeouts.Command);
        Assert.Equal(TimeSpan.FromSeconds(5), timeouts.Data);
        stress = false;
        Assert.Equal(TimeSpan.FromMinutes(5), timeouts.Command);
    }
}
