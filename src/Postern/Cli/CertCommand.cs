using System.CommandLine;
using Postern.Cli.Cert;

namespace Postern.Cli;

/// <summary><c>postern cert ...</c>: the certificate tools that replace the seeds' openssl recipes, one file per subcommand in Cli/Cert.</summary>
internal static class CertCommand
{
    public static Command Create() => new("cert", "Certificate tools: a local CA, server and client certificates, PKCS#12 bundles, access-map entries, ACME certificates")
    {
        CaInitCommand.Create(),
        IssueCommand.Create(),
        SelfSignedCommand.Create(),
        ExportCommand.Create(),
        ShowCommand.Create(),
        RenewCommand.Create(),
        ListCommand.Create(),
        AccessEntryCommand.Create(),
        AcmeCommand.Create(),
    };
}
