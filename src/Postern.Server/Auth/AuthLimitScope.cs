namespace Postern.Server.Auth;

/// <summary>What went over the failed-AUTH limit.</summary>
public enum AuthLimitScope
{
    None,

    /// <summary>The client IP address (IPv6: its /64).</summary>
    Client,

    /// <summary>The user name the failed exchanges tried.</summary>
    User,
}
