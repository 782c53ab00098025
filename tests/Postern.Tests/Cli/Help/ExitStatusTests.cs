using System.Reflection;
using System.Text.RegularExpressions;
using Postern.Cli.Help;
using Postern.Config;
using Postern.Testing;
using Postern.Tools.Check;

namespace Postern.Tests.Cli.Help;

/// <summary>
/// Each command's EXIT STATUS in --help against the code that runs it: every sysexits constant the
/// command's source returns is listed, and every code listed is one its source can return. The
/// source is read, not run, so a code added to a command without its line in the help fails here.
/// </summary>
public sealed partial class ExitStatusTests
{
    /// <summary>The files and folders that make up each command, from the wiring to the logic.</summary>
    public static TheoryData<string, string[]> Commands => new()
    {
        { "serve", ["src/Postern/Cli/ServeCommand.cs"] },
        { "config", ["src/Postern/Cli/ConfigCheckCommand.cs", "src/Postern/Cli/ImportMcCommand.cs", "src/Postern.Config/Check", "src/Postern.Tools/Migration"] },
        { "queue", ["src/Postern/Cli/QueueCommand.cs", "src/Postern/Cli/QueueControl.cs", "src/Postern/Cli/QueuePermission.cs", "src/Postern/Cli/Flush"] },
        { "cert", ["src/Postern/Cli/CertCommand.cs", "src/Postern/Cli/Cert", "src/Postern.Tools/Cert"] },
        { "access", ["src/Postern/Cli/AccessCommand.cs", "src/Postern.Tools/Access"] },
        { "db", ["src/Postern/Cli/DbCommand.cs", "src/Postern.Tools/Database"] },
        { "user", ["src/Postern/Cli/UserCommand.cs", "src/Postern/Cli/PasswordInput.cs", "src/Postern.Tools/Users"] },
        { "check", ["src/Postern/Cli/CheckCommand.cs", "src/Postern/Cli/DomainCheckCommand.cs", "src/Postern.Tools/Check"] },
        { "dkim", ["src/Postern/Cli/DkimCommand.cs", "src/Postern.Tools/Dkim"] },
        { "tls-report", ["src/Postern/Cli/TlsReportCommand.cs", "src/Postern.Tools/TlsReports"] },
        { "version", ["src/Postern/Cli/VersionCommand.cs"] },
        { "completion", ["src/Postern/Cli/CompletionCommand.cs", "src/Postern/Cli/Completion"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_code_a_command_returns_is_in_its_help_and_every_code_in_its_help_is_returned(string command, string[] sources)
    {
        var returned = CodesIn(sources);
        var listed = ManPages.For(command)!.ExitStatus.Select(s => s.Code).ToHashSet();

        Assert.True(returned.IsSubsetOf(listed), $"{command}: returns {Describe(returned.Except(listed))} without a line in EXIT STATUS");
        // Only sysexits codes are read from the source (0 and 1 need no constant), and 64 comes from the command-line parser for every command.
        var unreturned = listed.Where(c => c > ExitCodes.Usage && !returned.Contains(c)).ToList();
        Assert.True(unreturned.Count == 0, $"{command}: EXIT STATUS lists {Describe(unreturned)}, which the command never returns");
    }

    [Fact]
    public void Cert_lists_a_missing_CA_under_the_code_it_exits_with()
    {
        var status = ManPages.For("cert")!.ExitStatus;

        // CaErrors maps "no CA here" (CaErrorKind.NotFound) to EX_NOINPUT, as docs/certificates.md says.
        Assert.Contains("no local CA", status.Single(s => s.Code == ExitCodes.NoInput).Meaning, StringComparison.Ordinal);
        Assert.DoesNotContain("CA", status.Single(s => s.Code == ExitCodes.Config).Meaning, StringComparison.Ordinal);
    }

    private static HashSet<int> CodesIn(string[] sources)
    {
        var codes = new HashSet<int>();
        foreach (var file in sources.SelectMany(Files))
        {
            var text = File.ReadAllText(file);
            foreach (Match match in ConstantPattern().Matches(text))
            {
                codes.Add(Value(match.Groups["type"].Value == "CheckExitCodes" ? typeof(CheckExitCodes) : typeof(ExitCodes), match.Groups["name"].Value));
            }
            // The shared reporters each return one code.
            if (text.Contains("ConfigurationErrors.Report(", StringComparison.Ordinal))
            {
                codes.Add(ExitCodes.Config);
            }
        }
        return codes;
    }

    private static IEnumerable<string> Files(string source)
    {
        var path = Repository.PathOf(source.Split('/'));
        return Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories) : [path];
    }

    private static int Value(Type type, string name) =>
        (int)(type.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? throw new InvalidOperationException($"{type.Name}.{name} is not a constant"));

    private static string Describe(IEnumerable<int> codes) => string.Join(", ", codes.Order());

    [GeneratedRegex(@"\b(?<type>CheckExitCodes|ExitCodes)\.(?<name>[A-Z]\w*)")]
    private static partial Regex ConstantPattern();
}
