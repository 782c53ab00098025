namespace Postern.Tests.Server;

/// <summary>
/// The dialog checks a script cannot express (a real pause while the fake clock stands still);
/// the rest of the session's dialogs are scripts in tests/Postern.Tests/Dialogs.
/// </summary>
public sealed class SessionDialogTests
{
    [Fact]
    public async Task Data_timeout_counts_from_the_last_bytes_received_and_discards_the_message()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.StartDataAsync();
        await dialog.SendAsync("Subject: slow\r\n\r\n");
        await WaitForSessionToReadAsync(dialog);
        dialog.Clock.Advance(TimeSpan.FromMinutes(2));
        await dialog.SendAsync("still coming\r\n");
        await WaitForSessionToReadAsync(dialog);
        dialog.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(dialog.SessionTask.IsCompleted, "the data timeout must restart with every chunk");
        dialog.Clock.Advance(TimeSpan.FromMinutes(2));
        await dialog.ExpectAsync("421 4.4.2");
        Assert.True(await dialog.ServerClosedAsync());
        Assert.Empty(dialog.Queue.Committed);
        Assert.Equal(1, dialog.Queue.Aborted);
    }

    /// <summary>The in-memory pipe gives no signal when the session has read; a short real pause stands in.</summary>
    private static Task WaitForSessionToReadAsync(DialogHarness dialog) =>
        Task.Delay(TimeSpan.FromMilliseconds(200));
}
