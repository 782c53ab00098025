namespace Postern.Cli.Help;

/// <summary>One EXIT STATUS entry: a code (sysexits.h where one fits) and when it is returned.</summary>
internal sealed record ManExitStatus(int Code, string Meaning);
