namespace Postern.Tools.Check;

/// <summary>How the checker starts TLS.</summary>
public enum CheckMode
{
    /// <summary>Implicit TLS on port 465, else STARTTLS when the server offers it.</summary>
    Auto,

    /// <summary>STARTTLS, expected to be offered.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465, "SMTPS").</summary>
    Implicit,

    /// <summary>No TLS at all: greeting, EHLO, AUTH offer and relay attempt in clear.</summary>
    Plain,
}
