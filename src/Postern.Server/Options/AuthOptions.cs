namespace Postern.Server.Options;

/// <summary>The <c>[auth]</c> section: which SASL mechanisms are offered and trusted, and the limits around them.</summary>
public sealed record AuthOptions
{
    public static readonly IReadOnlyList<string> DefaultMechanisms = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN", "LOGIN"];

    /// <summary>What EHLO offers, in this order, when available in the session (sendmail's confAUTH_MECHANISMS).</summary>
    public IReadOnlyList<string> Mechanisms { get; init; } = DefaultMechanisms;

    /// <summary>Mechanisms whose success grants relaying (TRUST_AUTH_MECH); a subset of <see cref="Mechanisms"/>.</summary>
    public IReadOnlyList<string> TrustedMechanisms { get; init; } = DefaultMechanisms;

    /// <summary>PLAIN and LOGIN neither offered nor accepted before TLS (AuthOptions <c>p</c>).</summary>
    public bool PlaintextRequiresTls { get; init; } = true;

    /// <summary>Offer ANONYMOUS (AuthOptions <c>y</c>); ANONYMOUS never sets an authenticated user.</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>Record MAIL's AUTH= parameter only as far as the session's own authentication vouches for it (AuthOptions <c>A</c>).</summary>
    public bool AuthParamOnlyWhenAuthenticated { get; init; } = true;

    /// <summary>How long after the client's last response a failed AUTH is answered, whatever failed.</summary>
    public TimeSpan FailureDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Failed AUTH exchanges per client IP, and per user name, within <see cref="FailureWindow"/> before 421.</summary>
    public int MaxFailures { get; init; } = 10;

    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long AUTH is refused to an IP (or for a user name) over the limit; doubles on each repeat, up to 16 times.</summary>
    public TimeSpan BlockDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The sender login map (Postfix's smtpd_sender_login_maps), or null for none.</summary>
    public string? SenderLoginMapFile
    {
        get => SenderLoginMap is { IsDatabase: false } file ? file.FilePath : null;
        init => SenderLoginMap = value is null ? null : Core.Maps.MapReference.File(value);
    }

    /// <summary>The sender login map as configured: a file (<see cref="SenderLoginMapFile"/>) or <c>pgsql:TABLE</c>; null for none.</summary>
    public Core.Maps.MapReference? SenderLoginMap { get; init; }

    /// <summary>The users file (<c>postern user ...</c>); null means <c>users</c> in the data directory (unless <see cref="UsersTable"/> is set).</summary>
    public string? UsersFile { get; init; }

    /// <summary>The users table in the <c>[database]</c> database (<c>users_file = "pgsql:users"</c>); null for a file.</summary>
    public string? UsersTable { get; init; }
}
