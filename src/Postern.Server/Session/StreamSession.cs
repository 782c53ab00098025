using System.Net;
using Postern.Server.Options;

namespace Postern.Server.Session;

/// <summary>
/// One SMTP session over any duplex stream, outside a listener: <c>sendmail -bs</c> runs the real
/// session on stdin/stdout with it. The caller's policy decides what the client may do.
/// </summary>
public static class StreamSession
{
    /// <summary>Runs the dialogue to its end (QUIT, end of input, timeout or cancellation).</summary>
    public static async Task RunAsync(SessionServices services, ListenerOptions listener, Stream stream, IPEndPoint remote, IPEndPoint local, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(stream);
        var session = new SmtpSession(services, listener, stream, remote, local);
        await using (session)
        {
            await session.RunAsync(cancellationToken, cancellationToken);
        }
    }
}
