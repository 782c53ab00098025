using System.CommandLine;
using Postern.Tools.Migration;

namespace Postern.Cli;

/// <summary><c>postern config import-mc sendmail.mc [--access FILE] [--out DIR] [--data-dir DIR]</c>.</summary>
internal static class ImportMcCommand
{
    public static Command Create()
    {
        var mc = new Argument<string>("sendmail.mc") { Description = "The sendmail m4 configuration to translate" };
        var access = new Option<string?>("--access") { Description = "The sendmail access map text (/etc/mail/access): checked, copied to --out and used as policy.access_map" };
        var output = new Option<string?>("--out") { Description = "Write postern.toml (and the access map) into this directory; without it the TOML goes to stdout" };
        var dataDir = new Option<string?>("--data-dir") { Description = $"server.data_dir of the generated configuration (default {McImportOptions.DefaultDataDirectory})" };
        var command = new Command("import-mc", "Translate a sendmail.mc (define(`confX'...), DAEMON_OPTIONS, TRUST_AUTH_MECH, FEATURE(`access_db'), SMART_HOST, include(starttls.m4)) into postern.toml, reporting each line not translated") { mc, access, output, dataDir };
        command.SetAction(parse => McImport.Run(
            new McImportOptions(parse.GetValue(mc)!, parse.GetValue(access), parse.GetValue(output), parse.GetValue(dataDir) ?? McImportOptions.DefaultDataDirectory),
            Console.Out,
            Console.Error));
        return command;
    }
}
