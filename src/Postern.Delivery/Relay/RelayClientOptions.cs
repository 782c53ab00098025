namespace Postern.Delivery.Relay;

/// <summary>How the SMTP relay client behaves on the wire (timeouts as in RFC 5321 4.5.3.2, roughly).</summary>
public sealed record RelayClientOptions
{
    /// <summary>The name given in EHLO/HELO: this host's fully qualified name.</summary>
    public required string HeloName { get; init; }

    /// <summary>Per address tried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>For each reply (greeting, EHLO, MAIL, RCPT, ...) and the TLS handshake.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>For sending the message and reading the reply to its end.</summary>
    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many connections to one host name at a time, idle ones included.</summary>
    public int MaxPerDestination { get; init; } = 4;

    /// <summary>
    /// How long a session stays open after a message, for the next message to the same host
    /// (RSET, then MAIL); zero closes it after every message.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
