using System.CommandLine;
using Postern.Config;
using Postern.Tools.Access;

namespace Postern.Cli;

/// <summary>
/// <c>postern access check</c>: what the policy would decide for a client, stage by stage, and which
/// rule or map line decided; <c>postern access add|remove</c>: one entry of the configured access map.
/// </summary>
internal static class AccessCommand
{
    public static Command Create()
    {
        var client = new Option<string>("--client") { Description = "The client's IP address", Required = true };
        var helo = new Option<string?>("--helo") { Description = "The HELO/EHLO name (default: the address literal)" };
        var listener = new Option<string?>("--listener") { Description = "The listener the client connects to (default: the first one)" };
        var cert = new Option<string?>("--cert") { Description = "The client's certificate (PEM or DER); verified against tls.ca_file / tls.ca_path unless --verify is given" };
        var verify = new Option<string?>("--verify") { Description = "Assume this verify result: OK, FAIL, NO, NOT or NONE" };
        var tls = new Option<bool>("--tls") { Description = "The client used TLS (implied by --cert and --verify)" };
        var bits = new Option<int>("--bits") { Description = "The TLS cipher strength to assume", DefaultValueFactory = _ => 256 };
        var auth = new Option<string?>("--auth") { Description = "The user the client authenticated as (with a trusted mechanism)" };
        var from = new Option<string>("--from") { Description = "The envelope sender; <> for the null sender", Required = true };
        var rcpt = new Option<string[]>("--rcpt") { Description = "A recipient (repeat for more)", Required = true, AllowMultipleArgumentsPerToken = false };
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var check = new Command("check", "Show the decision at each SMTP stage and the rule or access-map line (file:line) that made it; exit 0 when everything is accepted, 1 when something is refused")
        {
            client, helo, listener, cert, verify, tls, bits, auth, from, rcpt, config, dataDir,
        };
        check.SetAction(parse => AccessCheck.Run(
            new AccessCheckRequest(parse.GetValue(client)!, parse.GetValue(from)!, parse.GetValue(rcpt) ?? [])
            {
                Helo = parse.GetValue(helo),
                Listener = parse.GetValue(listener),
                Certificate = parse.GetValue(cert),
                Verify = parse.GetValue(verify),
                Tls = parse.GetValue(tls),
                Bits = parse.GetValue(bits),
                AuthenticatedUser = parse.GetValue(auth),
                ConfigPath = parse.GetValue(config),
                DataDirectory = parse.GetValue(dataDir),
            },
            Environment.GetEnvironmentVariable,
            Console.Out,
            Console.Error));
        return new Command("access", "Access map and relay policy tools") { check, CreateAdd(), CreateRemove() };
    }

    private static Command CreateAdd()
    {
        var key = new Argument<string>("KEY") { Description = "The key as in the map file: Connect:192.0.2.7, From:example.com, CERTSUBJECT:/CN=joe, 10.1 ..." };
        var value = new Argument<string[]>("VALUE") { Description = "The value: OK, RELAY, REJECT, DISCARD, \"ERROR:5.7.1:550 text\", a number for ClientRate: ...", Arity = ArgumentArity.OneOrMore };
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var add = new Command("add", "Set KEY to VALUE in the configured access map (policy.access_map: a file, written atomically, or a pgsql: table every node sees at once); the line is checked first") { key, value, config, dataDir };
        add.SetAction(parse => Edit(parse.GetValue(config), parse.GetValue(dataDir), editor =>
            editor.Add(parse.GetValue(key)!, string.Join(' ', parse.GetValue(value) ?? []), Console.Out, Console.Error)));
        return add;
    }

    private static Command CreateRemove()
    {
        var key = new Argument<string>("KEY") { Description = "The key to remove (the same key however its tag is spelled)" };
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var remove = new Command("remove", "Remove KEY from the configured access map") { key, config, dataDir };
        remove.SetAction(parse => Edit(parse.GetValue(config), parse.GetValue(dataDir), editor => editor.Remove(parse.GetValue(key)!, Console.Out, Console.Error)));
        return remove;
    }

    internal static int Edit(string? configPath, string? dataDir, Func<AccessMapEditor, int> work)
    {
        var result = ConfigurationLoader.Load(configPath, dataDir, Environment.GetEnvironmentVariable);
        return result.Succeeded
            ? AccessMapTarget.Run(result.Configuration, Console.Error, work)
            : ConfigurationErrors.Report(result, Console.Error, "access map not changed");
    }
}
