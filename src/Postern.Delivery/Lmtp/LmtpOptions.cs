namespace Postern.Delivery.Lmtp;

/// <summary>How the LMTP client behaves on the wire (the same budgets as the SMTP relay client's).</summary>
public sealed record LmtpOptions
{
    /// <summary>The name given in LHLO: this host's fully qualified name.</summary>
    public required string LhloName { get; init; }

    /// <summary>For the connection, host name lookup included.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>For each reply (greeting, LHLO, MAIL, RCPT, DATA) and the TLS handshake.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>For sending the message, and for each recipient's reply after it (the server delivers each in turn).</summary>
    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
