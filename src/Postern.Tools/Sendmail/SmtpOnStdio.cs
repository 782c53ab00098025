using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Maildrop;
using Postern.Server.Options;
using Postern.Server.Session;

namespace Postern.Tools.Sendmail;

/// <summary>
/// <c>sendmail -bs</c>: the real Postern SMTP session on stdin/stdout, as a local client trusted
/// like sendmail's MSP (<see cref="LocalSubmissionPolicy"/>), without TLS or AUTH (there is no
/// wire to protect). Accepted messages go into the spool as from any listener (into the maildrop
/// when <c>[server] local_milters</c> is set, for the daemon to filter); a running daemon is
/// woken at the end of the session.
/// </summary>
public static class SmtpOnStdio
{
    public const string ListenerName = "sendmail-bs";

    public static async Task<int> RunAsync(PosternConfiguration configuration, ILocalRecipients local, Stream input, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IMessageQueue queue;
        try
        {
            // With local_milters only the daemon may queue local mail: it runs them on pickup.
            queue = configuration.FiltersLocalSubmissions
                ? new MaildropQueue(Maildrop.PathIn(configuration.DataDirectory), TimeProvider.System)
                : new Spool(configuration.Queue, TimeProvider.System, NullLogger<Spool>.Instance);
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync($"sendmail: cannot write to the spool {configuration.Queue.SpoolDirectory}: {e.Message}");
            return ExitCodes.CannotCreate;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"sendmail: the spool {configuration.Queue.SpoolDirectory} is not available now: {e.Message}");
            return ExitCodes.TempFail;
        }
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        var listener = new ListenerOptions(ListenerName, loopback, ListenerRole.Msa)
        {
            Tls = Core.Tls.ListenerTlsMode.None,
            Auth = ListenerAuthMode.Off,
            Etrn = false,
        };
        // The session's log must not go to stdout: that is the SMTP channel.
        var services = new SessionServices(configuration.Server, new LocalSubmissionPolicy(local), queue, TimeProvider.System, NullLogger.Instance);
        await using var stream = new Core.IO.DuplexStream(input, output);
        await StreamSession.RunAsync(services, listener, stream, loopback, loopback, cancellationToken);
        LocalSubmission.WakeDaemon(configuration.DataDirectory, out _);
        return ExitCodes.Ok;
    }
}
