using System.CommandLine;
using Postern.Config;
using Postern.Pki.Authority;
using Postern.Pki.Certificates;

namespace Postern.Cli.Cert;

/// <summary><c>postern cert ca init</c>: a local CA, what seed 001 makes with openssl's CA.pl -newca.</summary>
internal static class CaInitCommand
{
    public const string DefaultName = "Postern Certificate Authority";

    public static Command Create()
    {
        var location = new CaDirectoryOptions("--dir", "--ca-dir");
        var name = new Option<string>("--name") { Description = "The CA's CN, e.g. \"Joe's Certificate Authority\" (never a host name)", DefaultValueFactory = _ => DefaultName };
        var subject = new Option<string?>("--subject") { Description = "Attributes before the CN, openssl -subj style: \"/C=US/ST=Washington/O=Foo Enterprises\"; issued certificates inherit them" };
        var key = KeyOption.Create();
        var days = new Option<int>("--days") { Description = "Validity in days", DefaultValueFactory = _ => CaInitOptions.DefaultDays };
        var init = new Command("init", "Create a local certificate authority (refuses to overwrite one)") { name, subject, key, days };
        location.AddTo(init);
        init.SetAction(parse =>
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
            return Run(new CaInitOptions(directory, parse.GetValue(name)!, parse.GetValue(subject), algorithm, parse.GetValue(days)), TimeProvider.System, Console.Out, Console.Error);
        });
        return new Command("ca", "The local certificate authority") { init };
    }

    internal static int Run(CaInitOptions options, TimeProvider clock, TextWriter output, TextWriter error)
    {
        try
        {
            using var ca = CertificateAuthority.Create(options, clock);
            var facts = CertificateFactsReader.Read(ca.Certificate);
            output.WriteLine($"created CA {facts.Subject}");
            output.WriteLine($"  certificate: {ca.Layout.CertificateFile} (give this to clients and servers: tls.ca_file)");
            output.WriteLine($"  key:         {ca.Layout.KeyFile} (mode 0600; keep it secret)");
            output.WriteLine($"  valid until: {facts.NotAfter:yyyy-MM-dd HH:mm:ss}Z");
            output.WriteLine($"  access map:  CERTISSUER:{Policy.Access.SendmailDnCodec.Encode(facts.Subject)}\tRELAY");
            return ExitCodes.Ok;
        }
        catch (CaException e)
        {
            return CaErrors.Report(e, "ca init", error);
        }
    }
}
