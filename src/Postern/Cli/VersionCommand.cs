using System.CommandLine;
using System.Reflection;
using Postern.Config;

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
            Write(Console.Out, parse.GetValue(features));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The version line and, with <paramref name="features"/>, the Compiled with: and SASL lines (also sendmail -d0.1's output).</summary>
    public static void Write(TextWriter output, bool features)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"Postern {Version} (.NET {Environment.Version})");
        if (features)
        {
            output.WriteLine("Compiled with: " + string.Join(' ', Features));
            output.WriteLine("SASL mechanisms: " + string.Join(' ', Protocol.Sasl.Server.SaslServerMechanisms.Names));
        }
    }
}
