namespace Postern.Core.Policy;

/// <summary>
/// What a command needs of the session before it may run where the listener requires it: TLS
/// (<c>require_tls</c>), AUTH (<c>auth = "require"</c>), or both. Whether the listener requires
/// them is the policy's decision (<see cref="IPolicyEngine.CheckCommandAsync"/>).
/// </summary>
[Flags]
public enum CommandNeeds
{
    None = 0,

    /// <summary>Refused before STARTTLS (or implicit TLS) where the listener requires TLS.</summary>
    Tls = 1,

    /// <summary>Refused before a successful AUTH where the listener requires it.</summary>
    Authentication = 2,
}
