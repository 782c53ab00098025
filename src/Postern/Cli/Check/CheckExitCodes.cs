namespace Postern.Cli.Check;

/// <summary>The checker's own exit codes beside <see cref="ExitCodes"/>: 1 for problems found, sysexits' EX_UNAVAILABLE for an unreachable server.</summary>
internal static class CheckExitCodes
{
    public const int ProblemsFound = 1;
    public const int Unavailable = 69;
}
