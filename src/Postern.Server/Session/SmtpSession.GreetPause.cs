using System.Globalization;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Server.Connections;
using Postern.Server.Logging;
using Postern.Server.Options;

namespace Postern.Server.Session;

internal sealed partial class SmtpSession
{
    /// <summary>
    /// sendmail's greet_pause (the access map's <c>GreetPause:</c>), Postfix's postscreen_greet_wait:
    /// the greeting waits, and a client that sends before it (a spam engine that does not wait for
    /// replies) is refused with 554 and the connection closed. Not on an implicit-TLS listener, where
    /// the client speaks first, nor on one with <c>auth = "require"</c> (sendmail skips its M=a daemons).
    /// True when the session must end here.
    /// </summary>
    private async ValueTask<bool> TalkedBeforeGreetingAsync(CancellationToken cancellationToken)
    {
        if (_listener.Tls == ListenerTlsMode.Implicit || _listener.Auth == ListenerAuthMode.Require || _services.ClientLimits is not { } limits)
        {
            return false;
        }
        ClientLimit? found;
        try
        {
            found = (await limits.LookupAsync(_state.Facts.Remote.Address, cancellationToken)).GreetPause;
        }
        catch (Core.Maps.LookupTableUnavailableException)
        {
            // Admission looked the same table up a moment ago; the connect stage answers 451 if it is still down.
            found = null;
        }
        if (found is not { Value: > 0 } pause)
        {
            return false;
        }
        _deadline.StartGreetPause(TimeSpan.FromMilliseconds(pause.Value));
        var started = _services.Clock.GetTimestamp();
        var outcome = await _connection.WaitBeforeGreetingAsync(TimeSpan.FromMilliseconds(pause.Value), cancellationToken);
        if (outcome == PreGreeting.Silent)
        {
            return false;
        }
        if (outcome == PreGreeting.Closed)
        {
            Log.SessionEnded("lost input channel", _relay, _listener.Name, "the greet pause");
            return true;
        }
        var waited = (long)_services.Clock.GetElapsedTime(started).TotalMilliseconds;
        Log.ConnectionLimited(_relay, _listener.Name, "pre-greeting traffic after " + waited.ToString(CultureInfo.InvariantCulture) + " ms of a "
            + pause.Value.ToString(CultureInfo.InvariantCulture) + " ms greet pause (" + pause.Origin + ")");
        _services.Metrics?.RejectedBy("check_relay", "greet_pause");
        await _connection.SendAsync(Replies.EarlyTalker(Options.HostName), cancellationToken);
        return true;
    }
}
