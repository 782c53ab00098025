using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Testing.Smtp;

/// <summary>How a <see cref="SmtpSink"/> behaves; set per test. The defaults are a capable ESMTP server.</summary>
public sealed class SinkOptions
{
    /// <summary>
    /// A bare next hop for end-to-end relaying: EHLO offers no extension at all, the final reply is
    /// "250 2.0.0 Ok: queued", and sessions last as long as the client keeps them.
    /// </summary>
    public static SinkOptions PlainNextHop => new()
    {
        EnhancedStatusCodes = false,
        Size = null,
        Pipelining = false,
        Dsn = false,
        EightBitMime = false,
        SmtpUtf8 = false,
        FinalReply = "250 2.0.0 Ok: queued",
        SessionTimeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The clock for the session guard and <see cref="SmtpSink.DataDelay"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>A session still open after this long is cut: a guard against a hung test, nothing asserts on it.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public bool EnhancedStatusCodes { get; init; } = true;

    /// <summary>Advertise <c>SIZE &lt;value&gt;</c>; null = not offered.</summary>
    public long? Size { get; init; } = 10000000;

    public bool StartTls { get; init; }

    /// <summary>The server certificate for STARTTLS (required when <see cref="StartTls"/>).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>MAIL before STARTTLS gets 530.</summary>
    public bool RequireTls { get; init; }

    /// <summary>Advertise REQUIRETLS (RFC 8689) once the session is encrypted.</summary>
    public bool OfferRequireTls { get; init; }

    /// <summary>Ask the client for a certificate during the handshake.</summary>
    public bool AskClientCertificate { get; init; }

    public bool Pipelining { get; init; } = true;

    public bool Dsn { get; init; } = true;

    public bool EightBitMime { get; init; } = true;

    /// <summary>Advertise <c>DELIVERBY &lt;value&gt;</c> (RFC 2852); null = not offered.</summary>
    public string? DeliverBy { get; init; }

    public bool SmtpUtf8 { get; init; } = true;

    /// <summary>Offered mechanisms (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256); empty = no AUTH.</summary>
    public IReadOnlyList<string> AuthMechanisms { get; init; } = [];

    public bool RequireAuth { get; init; }

    public string User { get; init; } = "alice";

    public string Password { get; init; } = "pencil";

    /// <summary>Given the RCPT address, a reply line instead of 250 (null: accept).</summary>
    public Func<string, string?>? RcptReply { get; init; }

    /// <summary>The reply to the DATA command instead of 354.</summary>
    public string? DataCommandReply { get; init; }

    public string FinalReply { get; init; } = "250 2.0.0 Ok: queued as SINK";

    /// <summary>Given a command line, a reply instead of the normal handling; "DROP" drops the connection, a 421 closes it after the reply.</summary>
    public Func<string, string?>? Intercept { get; init; }

    /// <summary>Replies to MAIL and RCPT are held until DATA arrives: only a pipelining client gets through.</summary>
    public bool HoldRepliesUntilData { get; init; }

    /// <summary>Keep the connection open after an intercepted 421, as a broken server might: only the client can end it.</summary>
    public bool StayOpenAfter421 { get; init; }

    /// <summary>Called (on the session's thread) before DATA's final reply, to hold sessions open while others start.</summary>
    public Func<Task>? BeforeFinalReply { get; init; }

    /// <summary>The EHLO reply these options advertise; STARTTLS only while the session is not yet <paramref name="tls"/>.</summary>
    internal string EhloReply(bool tls)
    {
        var lines = new List<string> { "sink.test" };
        if (EnhancedStatusCodes)
        {
            lines.Add("ENHANCEDSTATUSCODES");
        }
        if (Size is { } size)
        {
            lines.Add("SIZE " + size.ToString(CultureInfo.InvariantCulture));
        }
        if (Pipelining)
        {
            lines.Add("PIPELINING");
        }
        if (EightBitMime)
        {
            lines.Add("8BITMIME");
        }
        if (SmtpUtf8)
        {
            lines.Add("SMTPUTF8");
        }
        if (Dsn)
        {
            lines.Add("DSN");
        }
        if (DeliverBy is { } deliverBy)
        {
            lines.Add(("DELIVERBY " + deliverBy).TrimEnd());
        }
        if (StartTls && !tls)
        {
            lines.Add("STARTTLS");
        }
        if (OfferRequireTls && tls)
        {
            lines.Add("REQUIRETLS");
        }
        if (AuthMechanisms.Count > 0)
        {
            lines.Add("AUTH " + string.Join(' ', AuthMechanisms));
        }
        return string.Join("\r\n", lines.Select((l, i) => (i == lines.Count - 1 ? "250 " : "250-") + l));
    }
}
