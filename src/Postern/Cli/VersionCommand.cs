using System.CommandLine;
using System.Reflection;

namespace Postern.Cli;

/// <summary><c>postern version [--features]</c>: like sendmail -d0.1, what this build is and can do.</summary>
internal static class VersionCommand
{
    /// <summary>Compiled-in features, as sendmail -d0.1 lists them; the SASL mechanisms follow from the registry.</summary>
    private static readonly string[] Features =
    [
        "PIPELINING", "8BITMIME", "SMTPUTF8", "SIZE", "DSN", "CHUNKING", "ENHANCEDSTATUSCODES",
        "STARTTLS", "SMTPS", "TLSv1.2", "TLSv1.3", "TLS_CLIENT_CERTS", "TLS_CRL", "TLS_SNI",
        "MAILDIR", "ALIASES", "ACCESS_MAP", "RESTRICTIONS", "SASL", "SCRAM-PLUS", "ETRN", "DELIVERBY",
    ];

    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static Command Create()
    {
        var features = new Option<bool>("--features") { Description = "Also list the compiled-in features" };
        var command = new Command("version", "Show the version (and with --features what this build supports)") { features };
        command.SetAction(parse =>
        {
            Console.WriteLine($"Postern {Version} (.NET {Environment.Version})");
            if (parse.GetValue(features))
            {
                Console.WriteLine("Compiled with: " + string.Join(' ', Features));
                Console.WriteLine("SASL mechanisms: " + string.Join(' ', Protocol.Sasl.Server.SaslServerMechanisms.Names));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
