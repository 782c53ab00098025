namespace Postern.Cli.Help;

/// <summary>One EXAMPLES entry: a command line and what it does.</summary>
internal sealed record ManExample(string CommandLine, string Explanation);
