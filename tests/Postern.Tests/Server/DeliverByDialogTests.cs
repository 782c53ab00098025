using Postern.Core.Queueing;

namespace Postern.Tests.Server;

public sealed class DeliverByDialogTests
{
    [Fact]
    public async Task A_by_request_becomes_an_absolute_deadline_on_the_envelope()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> BY=3600;RT\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAndExpectAsync("x\r\n.\r\n", "250 2.0.0 Ok: queued");

        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal(new DeliverBy(envelope.ReceivedAt.AddHours(1), DeliverByMode.Return, true), envelope.DeliverBy);
        Assert.Equal(dialog.Clock.GetUtcNow().AddHours(1), envelope.DeliverBy!.Deadline);
    }

    [Fact]
    public async Task Notify_mode_takes_a_deadline_already_past()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> BY=-10;N\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAndExpectAsync("x\r\n.\r\n", "250 2.0.0 Ok: queued");

        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal(new DeliverBy(envelope.ReceivedAt.AddSeconds(-10), DeliverByMode.Notify, false), envelope.DeliverBy);
    }

    [Fact]
    public async Task Bad_or_too_short_requests_are_refused_and_the_session_goes_on()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> BY=30;R\r\n", "553 5.5.4");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> BY=30;Q\r\n", "501 5.5.4");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> BY=60;R\r\n", "250 2.1.0");
    }

    [Fact]
    public async Task By_needs_ehlo()
    {
        await using var dialog = await DialogHarness.ConnectAsync();
        await dialog.SendAndExpectAsync("HELO c\r\n", "250 mx.test");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> BY=120;N\r\n", "555 5.5.4");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250 2.1.0");
    }
}
