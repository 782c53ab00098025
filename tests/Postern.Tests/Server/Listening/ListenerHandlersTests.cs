using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Core.Stages;
using Postern.Policy;
using Postern.Server.Listening;
using Postern.Server.Options;
using Postern.Server.Session;
using Postern.Tests.Server.Stages;

namespace Postern.Tests.Server.Listening;

/// <summary>On a real loopback server, a listener with handlers of its own runs them instead of the server's.</summary>
public sealed class ListenerHandlersTests
{
    [Fact]
    public async Task A_listener_runs_its_own_handlers_and_the_others_run_the_servers()
    {
        var serverMilter = new TestHandler("milter:server");
        var ownMilter = new TestHandler("milter:own")
        {
            Mail = PolicyDecision.Reject(new SmtpReply(550, new EnhancedStatusCode(5, 7, 1), "refused by the listener's milter"), "milter:own"),
        };
        var options = DialogHarness.DefaultOptions() with
        {
            Listeners =
            [
                new ListenerOptions("mx", new IPEndPoint(IPAddress.Loopback, 0), ListenerRole.Mta),
                new ListenerOptions("submission", new IPEndPoint(IPAddress.Loopback, 0), ListenerRole.Msa) { Milters = ["own"] },
                new ListenerOptions("internal", new IPEndPoint(IPAddress.Loopback, 0), ListenerRole.Mta) { Milters = [] },
            ],
        };
        var services = new SessionServices(
            options, new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions()), new FakeMessageQueue(), TimeProvider.System, NullLogger.Instance)
        {
            Handlers = [serverMilter],
            ListenerHandlers = new Dictionary<string, IReadOnlyList<IStageHandler>> { ["submission"] = [ownMilter], ["internal"] = [] },
        };
        var server = new SmtpServer(services);
        await using (server)
        {
            server.Start();

            Assert.StartsWith("250 ", await MailFromAsync(server.EndPoints[0]), StringComparison.Ordinal);
            Assert.Equal("550 5.7.1 refused by the listener's milter", await MailFromAsync(server.EndPoints[1]));
            Assert.StartsWith("250 ", await MailFromAsync(server.EndPoints[2]), StringComparison.Ordinal);
            await server.StopAsync();
        }

        // The mx session's transaction is still open at QUIT: it ends aborted, then the session closes.
        Assert.Equal(["connect", "helo", "command MAIL", "mail", "abort", "close"], serverMilter.Asked);
        // Its refusal of MAIL ends the transaction it began: abort, then close at QUIT.
        Assert.Equal(["connect", "helo", "command MAIL", "mail", "abort", "close"], ownMilter.Asked);
    }

    /// <summary>Greeting, EHLO, MAIL FROM: the reply to MAIL, then QUIT.</summary>
    private static async Task<string> MailFromAsync(IPEndPoint endPoint)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.StartsWith("220 ", await reader.ReadLineAsync(timeout.Token), StringComparison.Ordinal);
        await stream.WriteAsync("EHLO client.test\r\n"u8.ToArray(), timeout.Token);
        while ((await reader.ReadLineAsync(timeout.Token))?.StartsWith("250-", StringComparison.Ordinal) == true)
        {
        }
        await stream.WriteAsync("MAIL FROM:<sender@example.org>\r\n"u8.ToArray(), timeout.Token);
        var reply = await reader.ReadLineAsync(timeout.Token) ?? "";
        await stream.WriteAsync("QUIT\r\n"u8.ToArray(), timeout.Token);
        await reader.ReadLineAsync(timeout.Token);
        return reply;
    }
}
