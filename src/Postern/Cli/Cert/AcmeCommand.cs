using System.CommandLine;
using Postern.Config;
using Postern.Pki.Acme;

namespace Postern.Cli.Cert;

/// <summary><c>postern cert acme status|renew|register</c>: the certificates [acme] obtains and renews.</summary>
internal static class AcmeCommand
{
    public static Command Create() => new("acme", "ACME (RFC 8555) certificates: status, renew, register")
    {
        AcmeStatusCommand.Create(),
        AcmeRenewCommand.Create(),
        AcmeRegisterCommand.Create(),
    };

    /// <summary>The [acme] section, or null after saying the configuration has none.</summary>
    public static AcmeOptions? OptionsOf(PosternConfiguration configuration, string command, TextWriter error)
    {
        if (configuration.Acme is { } options)
        {
            return options;
        }
        error.WriteLine($"postern: cert acme {command}: {configuration.Source} has no [acme] section; add one with at least directory = \"...\" (docs/acme.md)");
        return null;
    }
}
