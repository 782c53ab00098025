namespace Postern.Tools.Check;

/// <summary>What a TLS 1.0 or 1.1 probe found.</summary>
internal enum WeakProtocolOutcome
{
    /// <summary>The server chose that version.</summary>
    Accepted,

    /// <summary>The server refused it (an alert, or it hung up on our hello).</summary>
    Refused,

    /// <summary>No hello with that version left this machine (the local TLS library has it disabled), or the probe could not run.</summary>
    NotTested,
}
