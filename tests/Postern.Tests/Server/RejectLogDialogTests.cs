using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postern.Policy;
using Postern.Policy.Access;
using Postern.Server.Session;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Server;

/// <summary>The mail log line of a refused recipient names the restriction and the access-map line that fired.</summary>
public sealed class RejectLogDialogTests
{
    [Fact]
    public async Task Rejected_recipients_log_the_rule_and_map_line()
    {
        var map = AccessMapParser.Parse("# map\nTo:blocked.example\tREJECT\n", "/etc/mail/access");
        var logger = new CollectingLogger();
        var options = DialogHarness.DefaultOptions();
        var policy = new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions(), () => map);
        var services = new SessionServices(options, policy, new FakeMessageQueue(), new FakeTimeProvider(), logger);
        var toServer = new Pipe();
        var toClient = new Pipe();
        var listener = options.Listeners[0];
        using var stop = new CancellationTokenSource();
        var session = new SmtpSession(services, listener, DuplexPipeStream.Create(toServer.Reader, toClient.Writer), new IPEndPoint(IPAddress.Parse("192.0.2.9"), 40000), listener.EndPoint);
        var run = Task.Run(async () =>
        {
            await using (session)
            {
                await session.RunAsync(stop.Token, stop.Token);
            }
        });
        using var client = DuplexPipeStream.Create(toClient.Reader, toServer.Writer);
        using var replies = new StreamReader(client, Encoding.UTF8);

        await client.WriteAsync(Encoding.ASCII.GetBytes("HELO c\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<x@blocked.example>\r\nRCPT TO:<x@gmail.test>\r\nQUIT\r\n"));
        await client.FlushAsync();
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await replies.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
        }
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("550 5.7.1 Access denied", lines);
        Assert.Contains("550 5.7.1 <x@gmail.test>: Relaying denied", lines);
        Assert.Contains(logger.Messages, m => m.StartsWith("ruleset=check_rcpt, arg1=<x@blocked.example>, relay=", StringComparison.Ordinal)
            && m.EndsWith("reason=check_recipient_access: /etc/mail/access:2 To:blocked.example REJECT", StringComparison.Ordinal));
        Assert.Contains(logger.Messages, m => m.StartsWith("ruleset=check_rcpt, arg1=<x@gmail.test>, relay=", StringComparison.Ordinal)
            && m.Contains("reason=reject_unauth_destination: gmail.test is not a local or relay domain", StringComparison.Ordinal));
    }
}
