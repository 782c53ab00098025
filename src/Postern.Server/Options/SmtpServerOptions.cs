namespace Postern.Server.Options;

/// <summary>Everything the SMTP server needs besides its seams (policy, queue, clock, log).</summary>
public sealed record SmtpServerOptions
{
    /// <summary>The name in the greeting, EHLO reply and Received headers.</summary>
    public required string HostName { get; init; }

    public required IReadOnlyList<ListenerOptions> Listeners { get; init; }

    /// <summary>Largest message accepted, in bytes (advertised with SIZE).</summary>
    public long MaxMessageSize { get; init; } = 25 * 1024 * 1024;

    public int MaxRecipients { get; init; } = 100;

    /// <summary>
    /// RCPTs over <see cref="MaxRecipients"/> in one transaction answered 452 without counting as
    /// errors (Postfix's smtpd_recipient_overshoot_limit); beyond them each 452 counts.
    /// </summary>
    public int RecipientOvershootLimit { get; init; } = 1000;

    /// <summary>
    /// Concurrent sessions across all listeners. An idle asynchronous session costs about 14 KB, so
    /// the default holds 5,000 in some 70 MB; at 80% of it the server is under stress (<see cref="StressTimeout"/>).
    /// </summary>
    public int MaxConnections { get; init; } = 5000;

    /// <summary>Concurrent sessions from one client address (Postfix's smtpd_client_connection_count_limit).</summary>
    public int MaxConnectionsPerIp { get; init; } = 50;

    /// <summary>A bare LF in message data: stored as CR LF, or the message refused.</summary>
    public BareNewlineMode BareNewline { get; init; } = BareNewlineMode.Normalize;

    /// <summary>Clients for which <see cref="BareNewlineMode.Reject"/> does not apply: their bare LFs are normalized.</summary>
    public IReadOnlyList<System.Net.IPNetwork> BareNewlineExclusions { get; init; } = [];

    /// <summary>Errors (since the last accepted message) after which the session is closed with 421.</summary>
    public int MaxErrors { get; init; } = 10;

    /// <summary>How long a client has to send a whole command line, from the moment the server waits for it.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a client may fall behind <see cref="MinDataRate"/> while sending message data, at most.</summary>
    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Bytes per second of message data that keep the data deadline from coming closer (Postfix's smtpd_min_data_rate).</summary>
    public int MinDataRate { get; init; } = 500;

    /// <summary>The command and data timeout while the server is under stress (Postfix's stress-mode smtpd_timeout).</summary>
    public TimeSpan StressTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a TLS handshake (STARTTLS or implicit) may take.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>On shutdown, how long sessions receiving a message may take to finish it.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>SMTP AUTH: mechanisms offered and trusted, failure delay and limits.</summary>
    public AuthOptions Auth { get; init; } = new();
}
