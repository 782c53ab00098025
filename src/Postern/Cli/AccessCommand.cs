using System.CommandLine;
using Postern.Tools.Access;

namespace Postern.Cli;

/// <summary><c>postern access check</c>: what the policy would decide for a client, stage by stage, and which rule or map line decided.</summary>
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
        return new Command("access", "Access map and relay policy tools") { check };
    }
}
