using System.CommandLine;
using Postern.Config;
using Postern.Pki.Authority;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert issue server|client</c>: a key and a certificate signed by the local CA, what
/// seed 001 does with <c>openssl req -new</c> and <c>CA.pl -sign</c>.
/// </summary>
internal static class IssueCommand
{
    public static Command Create() => new("issue", "Issue a certificate from the local CA") { CreateServer(), CreateClient() };

    internal static int Run(string caDirectory, IssueRequest request, TimeProvider clock, TextWriter output, TextWriter error)
    {
        try
        {
            using var ca = CertificateAuthority.Open(caDirectory);
            var issued = ca.Issue(request, clock);
            var entry = issued.Entry;
            output.WriteLine($"issued {entry.Kind.ToString().ToLowerInvariant()} certificate {entry.Subject} (serial {entry.Serial})");
            output.WriteLine($"  certificate: {entry.CertificateFile} (certificate, then the CA)");
            output.WriteLine($"  key:         {entry.KeyFile} (mode 0600)");
            output.WriteLine($"  valid until: {entry.NotAfter:yyyy-MM-dd HH:mm:ss}Z");
            if (issued.ShortenedToCaExpiry)
            {
                error.WriteLine($"warning: validity cut to the CA's own end ({entry.NotAfter:yyyy-MM-dd}); renew the CA before then");
            }
            if (entry.Kind == CertificateKind.Client)
            {
                output.WriteLine($"  export:      postern cert export {Quote(entry.Name)} --p12");
            }
            return ExitCodes.Ok;
        }
        catch (CaException e)
        {
            return CaErrors.Report(e, "issue", error);
        }
    }

    private static Command CreateServer()
    {
        var location = new CaDirectoryOptions();
        var host = new Option<string>("--host") { Description = "The host name clients connect to (subject CN and first SAN)", Required = true };
        var san = new Option<string[]>("--san") { Description = "More names: DNS:name or IP:address (repeatable)", AllowMultipleArgumentsPerToken = true };
        var days = new Option<int>("--days") { Description = "Validity in days", DefaultValueFactory = _ => IssueRequest.DefaultDays };
        var key = KeyOption.Create();
        var output = new Option<string?>("--out") { Description = "Directory for HOST.pem and HOST.key (default: CA_DIR/issued)" };
        var command = new Command("server", "A server certificate (serverAuth) for --host and any --san names") { host, san, days, key, output };
        SetIssueAction(command, location, key, (parse, algorithm) =>
        {
            var hostName = parse.GetValue(host)!.TrimEnd('.').ToLowerInvariant();
            if (!IssueInputs.IsDnsName(hostName))
            {
                Console.Error.WriteLine($"postern: cert issue: --host {hostName}: not a host name");
                return null;
            }
            var (dns, ips) = IssueInputs.SplitSans(parse.GetValue(san) ?? []);
            dns.Remove(hostName);
            return new IssueRequest(CertificateKind.Server, hostName, [hostName, .. dns.Distinct()], ips, [], parse.GetValue(days), algorithm, parse.GetValue(output));
        });
        return command;
    }

    private static Command CreateClient()
    {
        var location = new CaDirectoryOptions();
        var name = new Argument<string>("NAME") { Description = "Who it is for (subject CN, index name and file name), e.g. joe or \"Joe User\"" };
        var email = new Option<string[]>("--email") { Description = "Email address(es) for the subjectAltName (repeatable)", AllowMultipleArgumentsPerToken = true };
        var days = new Option<int>("--days") { Description = "Validity in days", DefaultValueFactory = _ => IssueRequest.DefaultDays };
        var key = KeyOption.Create();
        var output = new Option<string?>("--out") { Description = "Directory for NAME.pem and NAME.key (default: CA_DIR/issued)" };
        var command = new Command("client", "A client certificate (clientAuth) for relaying by certificate and mail clients") { name, email, days, key, output };
        SetIssueAction(command, location, key, (parse, algorithm) =>
            new IssueRequest(CertificateKind.Client, parse.GetValue(name)!, [], [], parse.GetValue(email) ?? [], parse.GetValue(days), algorithm, parse.GetValue(output)));
        return command;
    }

    /// <summary>The action both kinds share: find the CA, read --key, build the request (null: usage error, already reported), issue.</summary>
    private static void SetIssueAction(Command command, CaDirectoryOptions location, Option<string> key, Func<ParseResult, KeyAlgorithm, IssueRequest?> build)
    {
        location.AddTo(command);
        command.SetAction(parse =>
        {
            var directory = location.Resolve(parse, Console.Error);
            if (directory is null)
            {
                return ExitCodes.Config;
            }
            if (!KeyOption.TryGet(parse, key, Console.Error, out var algorithm))
            {
                return ExitCodes.Usage;
            }
            try
            {
                return build(parse, algorithm) is { } request ? Run(directory, request, TimeProvider.System, Console.Out, Console.Error) : ExitCodes.Usage;
            }
            catch (CaException e)
            {
                return CaErrors.Report(e, "issue", Console.Error);
            }
        });
    }

    internal static string Quote(string name) => name.Any(c => c is ' ' or '\'' or '"' or '$' or '`' or '\\') ? "'" + name.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : name;
}
