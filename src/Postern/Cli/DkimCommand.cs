using System.CommandLine;
using Postern.Config;
using Postern.Tools.Dkim;

namespace Postern.Cli;

/// <summary><c>postern dkim keygen|show</c>: DKIM signing keys and the DNS records that publish them.</summary>
internal static class DkimCommand
{
    public static Command Create() => new("dkim", "DKIM signing keys: make one and print the DNS record to publish (opendkim-genkey)")
    {
        CreateKeyGen(),
        CreateShow(),
    };

    private static Command CreateKeyGen()
    {
        var domain = new Option<string>("--domain") { Description = "The signing domain (d=), e.g. example.com", Required = true };
        var selector = new Option<string>("--selector") { Description = "The selector (s=): the record goes to SELECTOR._domainkey.DOMAIN", Required = true };
        var algorithm = new Option<string>("--algorithm") { Description = "rsa (every verifier) or ed25519 (RFC 8463; sign with both)", DefaultValueFactory = _ => "rsa" };
        algorithm.AcceptOnlyFromAmong("rsa", "ed25519");
        var bits = new Option<int?>("--bits") { Description = "The RSA key size, 1024 to 4096 (default 2048)" };
        var output = new Option<string>("--out") { Description = "The private key file to create (PKCS#8 PEM, mode 0600; never overwritten)", Required = true };
        var command = new Command("keygen", "Make a signing key and print its DNS TXT record on standard output") { domain, selector, algorithm, bits, output };
        command.SetAction(parse => DkimKeyTool.KeyGen(
            parse.GetValue(domain)!, parse.GetValue(selector)!, parse.GetValue(algorithm)!, parse.GetValue(bits), parse.GetValue(output)!, Console.Out, Console.Error));
        return command;
    }

    private static Command CreateShow()
    {
        var file = new Argument<string>("FILE") { Description = "A DKIM private key file (PEM)" };
        var domain = new Option<string?>("--domain") { Description = "The signing domain; default: the [[dkim]] entries that use FILE" };
        var selector = new Option<string?>("--selector") { Description = "The selector; with --domain" };
        var config = CommonOptions.Config();
        var command = new Command("show", "Print the DNS TXT record of a key again") { file, domain, selector, config };
        command.SetAction(parse =>
        {
            // Only to name the record: a configuration that does not load names nothing and stops nothing.
            var loaded = ConfigurationLoader.LoadForLocalUse(parse.GetValue(config), null, Environment.GetEnvironmentVariable);
            return DkimKeyTool.Show(
                parse.GetValue(file)!, parse.GetValue(domain), parse.GetValue(selector), loaded.Succeeded ? loaded.Configuration : null, Console.Out, Console.Error);
        });
        return command;
    }
}
