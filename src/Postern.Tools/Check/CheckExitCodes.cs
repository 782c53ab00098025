using Postern.Config;

namespace Postern.Tools.Check;

/// <summary>The checker's own exit codes beside <see cref="ExitCodes"/>: 1 for problems found, sysexits' EX_UNAVAILABLE for an unreachable server.</summary>
public static class CheckExitCodes
{
    public const int ProblemsFound = 1;
    public const int Unavailable = 69;
}
