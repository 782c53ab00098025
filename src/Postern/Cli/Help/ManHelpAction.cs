using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Postern.Cli.Help;

/// <summary>
/// System.CommandLine's help, then the EXAMPLES and EXIT STATUS sections of <see cref="ManPages"/>.
/// The library's HelpBuilder is internal in 2.0, so this wraps the stock action rather than
/// re-laying out the help: the usage, arguments and options stay the library's.
/// </summary>
internal sealed class ManHelpAction(HelpAction inner) : SynchronousCommandLineAction
{
    /// <summary>Like the stock help: <c>postern queue show --help</c> works without the required ID.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var exit = inner.Invoke(parseResult);
        ManHelp.WriteSections(parseResult.CommandResult.Command, parseResult.InvocationConfiguration.Output);
        return exit;
    }
}
