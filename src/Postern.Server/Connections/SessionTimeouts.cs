using Postern.Server.Options;

namespace Postern.Server.Connections;

/// <summary>
/// The time limits a session's client gets, as they are at the moment it is asked: while the server
/// is under stress (its connection slots nearly all taken) the command and data timeouts shrink to
/// the stress timeout, as Postfix's stress mode shrinks <c>smtpd_timeout</c>.
/// </summary>
internal sealed class SessionTimeouts(SmtpServerOptions options, Func<bool> underStress)
{
    /// <summary>The configured timeouts, never shortened (a session run outside a listener).</summary>
    public static SessionTimeouts Unstressed(SmtpServerOptions options) => new(options, static () => false);

    public TimeSpan Command => Shortened(options.CommandTimeout);

    public TimeSpan Data => Shortened(options.DataTimeout);

    /// <summary>Bytes per second that buy one second more of the data timeout.</summary>
    public int MinDataRate => options.MinDataRate;

    private TimeSpan Shortened(TimeSpan normal) =>
        underStress() && options.StressTimeout < normal ? options.StressTimeout : normal;
}
