namespace Postern.Core.Queueing;

/// <summary>The RCPT NOTIFY= parameter (RFC 3461). <see cref="None"/> means it was not given.</summary>
[Flags]
public enum DsnNotify
{
    None = 0,
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}
