using System.CommandLine;
using Postern.Cli.Cert;
using Postern.Tools.Check;

namespace Postern.Cli;

/// <summary>
/// <c>postern check HOST:PORT</c>: what the seeds do with telnet and EHLO, and more: the greeting,
/// EHLO before and after TLS, the TLS version, cipher and chain, its verification and host name,
/// the client-certificate request, TLS 1.0/1.1 probes, an optional relay attempt (never DATA)
/// and AUTH attempt; problems flagged. Exit 0 clean, 1 problems, 69 unreachable, 64 usage.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var target = new Argument<string?>("HOST:PORT") { Description = "The server: mail.example.org:25, 127.0.0.1:587, [::1]:465 (port 25 when omitted)", Arity = ArgumentArity.ZeroOrOne };
        var starttls = new Option<bool>("--starttls") { Description = "Use STARTTLS (expected to be offered); the default except on port 465" };
        var implicitTls = new Option<bool>("--implicit") { Description = "TLS from the first byte (SMTPS); the default on port 465" };
        var plain = new Option<bool>("--plain") { Description = "No TLS at all" };
        var cert = new Option<string?>("--cert") { HelpName = "FILE", Description = "Our client certificate (PEM; the key may be in it), presented when the server asks" };
        var key = new Option<string?>("--key") { HelpName = "FILE", Description = "The private key of --cert (PEM, unencrypted)" };
        var ca = new Option<string?>("--ca") { HelpName = "FILE", Description = "Verify the server against these CA certificates (PEM) instead of the system store" };
        var serverName = new Option<string?>("--servername") { HelpName = "NAME", Description = "The name the server's certificate must match, also sent as SNI (default: the host)" };
        var auth = new Option<string?>("--auth") { HelpName = "USER", Description = "Try AUTH as this user; the password is read from the terminal, or one line of standard input" };
        var from = new Option<string?>("--from") { HelpName = "ADDRESS", Description = "Relay attempt: the envelope sender (with --rcpt)" };
        var rcpt = new Option<string?>("--rcpt") { HelpName = "ADDRESS", Description = "Relay attempt: an outside recipient; MAIL, RCPT, then RSET: no mail is sent" };
        var timeout = new Option<string>("--timeout") { HelpName = "DURATION", Description = "Time allowed for each step: 10s, 1m", DefaultValueFactory = _ => "10s" };
        var helo = new Option<string?>("--helo") { HelpName = "NAME", Description = "The EHLO name (default: this machine's host name)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var domain = new Option<string?>("--domain") { HelpName = "DOMAIN", Description = "Check how mail to DOMAIN would leave: MX set, DNSSEC, TLSA and each MX's certificate, MTA-STS and its cache, TLS-RPT (instead of HOST:PORT)" };
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("check", "Check a remote SMTP server: greeting, EHLO, STARTTLS, certificate chain, client certificates, weak TLS versions, AUTH, open relay; or with --domain, a recipient domain's DANE, MTA-STS and TLS-RPT; exit 0 clean, 1 problems, 69 unreachable")
        {
            target, starttls, implicitTls, plain, cert, key, ca, serverName, auth, from, rcpt, timeout, helo, json, domain, config, dataDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(domain) is { } recipientDomain)
            {
                return await DomainCheckCommand.RunAsync(recipientDomain, parse, target, ca, timeout, helo, json, config, dataDir, cancellationToken);
            }
            var modes = new[] { (parse.GetValue(starttls), CheckMode.StartTls), (parse.GetValue(implicitTls), CheckMode.Implicit), (parse.GetValue(plain), CheckMode.Plain) }
                .Where(m => m.Item1).Select(m => m.Item2).ToList();
            var arguments = new CheckArguments(parse.GetValue(target), modes)
            {
                CertificateFile = parse.GetValue(cert),
                KeyFile = parse.GetValue(key),
                CaFile = parse.GetValue(ca),
                ServerName = parse.GetValue(serverName),
                AuthUser = parse.GetValue(auth),
                From = parse.GetValue(from),
                Recipient = parse.GetValue(rcpt),
                Timeout = parse.GetValue(timeout)!,
                Helo = parse.GetValue(helo),
                Json = parse.GetValue(json),
            };
            return await CheckRunner.RunAsync(arguments, ReadPassword, TimeProvider.System, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>From the terminal without echo, else one line of standard input; never from argv.</summary>
    private static string? ReadPassword(string user, TextWriter error)
    {
        if (Console.IsInputRedirected)
        {
            return PasswordReader.FromLine(Console.In)?.TrimEnd('\r');
        }
        return PasswordReader.Prompt($"Password for {user}: ", () => Console.ReadKey(intercept: true), error);
    }
}
