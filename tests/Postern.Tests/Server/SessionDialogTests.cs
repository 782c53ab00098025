namespace Postern.Tests.Server;

/// <summary>
/// The dialog checks a script cannot express (a real pause while the fake clock stands still);
/// the rest of the session's dialogs are scripts in tests/Postern.Tests/Dialogs.
/// </summary>
public sealed class SessionDialogTests
{
    [Fact]
    public async Task A_command_line_trickled_a_byte_at_a_time_is_cut_off_at_the_command_timeout()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        foreach (var octet in "EHL")
        {
            await dialog.SendAsync(octet.ToString());
            await WaitForSessionToReadAsync(dialog);
            Assert.False(dialog.SessionTask.IsCompleted);
            dialog.Clock.Advance(TimeSpan.FromMinutes(2));
        }
        // Six minutes into a line under a five-minute command timeout, bytes arriving all along.
        await dialog.ExpectAsync("421 4.4.2");
        Assert.True(await dialog.ServerClosedAsync());
    }

    [Fact]
    public async Task The_command_timeout_starts_again_with_each_command()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        dialog.Clock.Advance(TimeSpan.FromMinutes(4));
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-mx.test");
        await WaitForSessionToReadAsync(dialog);
        dialog.Clock.Advance(TimeSpan.FromMinutes(4));
        await dialog.SendAndExpectAsync("NOOP\r\n", "250");
    }

    [Fact]
    public async Task Data_trickling_below_the_minimum_rate_is_cut_off_at_the_data_timeout_and_discarded()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.StartDataAsync();
        await dialog.SendAsync("Subject: slow\r\n\r\n");
        for (var i = 0; i < 3; i++)
        {
            await WaitForSessionToReadAsync(dialog);
            dialog.Clock.Advance(TimeSpan.FromMinutes(1));
            await dialog.SendAsync("a line a minute\r\n");
        }
        // Three minutes of data timeout, a few dozen bytes bought a fraction of a second at 500 bytes/s.
        await WaitForSessionToReadAsync(dialog);
        dialog.Clock.Advance(TimeSpan.FromSeconds(1));
        await dialog.ExpectAsync("421 4.4.2");
        Assert.True(await dialog.ServerClosedAsync());
        Assert.Empty(dialog.Queue.Committed);
        Assert.Equal(1, dialog.Queue.Aborted);
    }

    [Fact]
    public async Task Data_at_the_minimum_rate_moves_the_deadline_on_and_the_message_is_queued()
    {
        // 1 byte/s: each 60 bytes buy a minute, never more than the data timeout ahead.
        await using var dialog = await DialogHarness.ConnectAsync(DialogHarness.DefaultOptions() with { MinDataRate = 1 });
        await dialog.StartDataAsync();
        for (var minute = 0; minute < 5; minute++)
        {
            await dialog.SendAsync("Subject: steady\r\n" + new string('x', 60) + "\r\n");
            await WaitForSessionToReadAsync(dialog);
            dialog.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        // Five minutes in, well past the three-minute data timeout, still receiving.
        Assert.False(dialog.SessionTask.IsCompleted);
        await dialog.SendAndExpectAsync(".\r\n", "250 2.0.0 Ok: queued");
        Assert.Single(dialog.Queue.Committed);
    }

    /// <summary>The in-memory pipe gives no signal when the session has read; a short real pause stands in.</summary>
    private static Task WaitForSessionToReadAsync(DialogHarness dialog) =>
        Task.Delay(TimeSpan.FromMilliseconds(200));
}
