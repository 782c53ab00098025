using Postern.Core.Policy;

namespace Postern.Tests.Server;

/// <summary>The greet pause for a client that waits, as RFC 5321 asks (the early talker is a dialog script).</summary>
public sealed class GreetPauseTests
{
    [Fact]
    public async Task A_client_that_waits_gets_the_greeting_after_the_pause_and_a_usable_session()
    {
        var limits = new FixedClientLimits(GreetPause: new ClientLimit(5000, "GreetPause: 5000 at access:1"));
        await using var dialog = new DialogHarness(configure: s => s with { ClientLimits = limits });
        var greeting = dialog.ReadReplyAsync();
        var seconds = 0;
        while (!greeting.IsCompleted && seconds < 60)
        {
            await Task.Delay(50);
            dialog.Clock.Advance(TimeSpan.FromSeconds(1));
            seconds++;
        }
        Assert.StartsWith("220 mx.test ESMTP", await greeting, StringComparison.Ordinal);
        Assert.True(seconds >= 5, "greeted after " + seconds + " s of a 5 s pause");
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-mx.test");
        await dialog.SendAndExpectAsync("QUIT\r\n", "221");
    }
}
