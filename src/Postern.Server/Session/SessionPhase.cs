namespace Postern.Server.Session;

/// <summary>Where a session is in the SMTP dialogue; the command table guards on it.</summary>
internal enum SessionPhase
{
    /// <summary>Connected, no HELO/EHLO yet.</summary>
    Connected,

    /// <summary>HELO/EHLO done, no transaction.</summary>
    Greeted,

    /// <summary>MAIL accepted, no recipient yet.</summary>
    Mail,

    /// <summary>At least one RCPT accepted.</summary>
    Recipients,
}
