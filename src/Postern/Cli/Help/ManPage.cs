namespace Postern.Cli.Help;

/// <summary>The man-page tail of a command's <c>--help</c>: worked examples and what its exit codes mean.</summary>
/// <param name="Examples">Command lines, each with a one-line explanation.</param>
/// <param name="ExitStatus">Exit codes with their meaning, in ascending order.</param>
internal sealed record ManPage(IReadOnlyList<ManExample> Examples, IReadOnlyList<ManExitStatus> ExitStatus);
