using Postern.Core.Tls;
using Postern.Server.Options;
using static Postern.Tests.Server.Auth.AuthDialog;

namespace Postern.Tests.Server.Auth;

public sealed class AuthDialogTests : IDisposable
{
    private static readonly AuthOptions PlaintextAllowed = new() { PlaintextRequiresTls = false };
    private readonly TestTlsContext _tls = new();

    public void Dispose() => _tls.Dispose();

    [Fact]
    public async Task Plus_mechanisms_get_tls_server_end_point_but_no_tls_exporter()
    {
        var options = Options(tls: ListenerTlsMode.StartTls);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var auth = Services(options, clock);
        await using var dialog = await ConnectAsync(options, auth, clock, _tls);
        await dialog.SendAndExpectAsync("EHLO c\r\nSTARTTLS\r\n", "250-");
        await dialog.ExpectAsync("220");
        using var tls = await dialog.StartTlsAsync();
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAndExpectAsync("AUTH SCRAM-SHA-256-PLUS " + B64("hello") + "\r\n", "334 " + B64("challenge"));
        await dialog.SendAndExpectAsync(B64("alice:secret") + "\r\n", "334 " + B64("v=final"));
        await dialog.SendAndExpectAsync("\r\n", "235 2.7.0");
        var context = ((FakeMechanismFactory)auth.Find("SCRAM-SHA-256-PLUS")!).LastContext!;
        Assert.True(context.IsTls);
        Assert.Null(context.TlsExporter);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(tls.RemoteCertificate!.GetRawCertData()), context.TlsServerEndPoint);
    }

    [Fact]
    public async Task Failure_reply_waits_for_the_delay_on_the_injected_clock()
    {
        var delay = TimeSpan.FromSeconds(7);
        var options = Options(PlaintextAllowed, failureDelay: delay);
        var clock = new RecordingClock();
        await using var dialog = await ConnectAsync(options, clock: clock);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250-");
        await dialog.SendAsync("AUTH PLAIN " + Plain("alice", "nope") + "\r\n");
        for (var i = 0; i < 500 && !clock.HasTimer(delay); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(clock.HasTimer(delay), "the session should wait on the clock for the failure delay");
        var reply = dialog.ReadReplyAsync();
        Assert.False(reply.IsCompleted);
        clock.Advance(delay);
        Assert.StartsWith("535 5.7.8", await reply, StringComparison.Ordinal);
    }
}
