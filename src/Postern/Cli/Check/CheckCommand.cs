using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Postern.Cli.Cert;
using Postern.Configuration;
using Postern.Core.Tls;
using Postern.Pki.Tls;
using Postern.Protocol.Sasl.Client;

namespace Postern.Cli.Check;

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
        var command = new Command("check", "Check a remote SMTP server: greeting, EHLO, STARTTLS, certificate chain, client certificates, weak TLS versions, AUTH, open relay; exit 0 clean, 1 problems, 69 unreachable")
        {
            target, starttls, implicitTls, plain, cert, key, ca, serverName, auth, from, rcpt, timeout, helo, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
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
            return await RunAsync(arguments, ReadPassword, TimeProvider.System, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Validates the arguments, runs the check, writes the report; returns the exit code.</summary>
    internal static async Task<int> RunAsync(
        CheckArguments arguments, Func<string, TextWriter, string?> readPassword, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Validate(arguments, error) is not { } request)
        {
            return ExitCodes.Usage;
        }
        if (arguments.AuthUser is { } user)
        {
            var password = readPassword(user, error);
            if (password is null)
            {
                error.WriteLine("postern: check: no password for --auth");
                return ExitCodes.Usage;
            }
            request = request with { Credentials = new SaslClientCredentials(user, password) };
        }
        try
        {
            if (LoadFiles(arguments, request, error) is not { } loaded)
            {
                return ExitCodes.NoInput;
            }
            request = loaded;
            var result = await new CheckSession(request, time).RunAsync(cancellationToken);
            var findings = CheckFindings.Evaluate(result);
            var exitCode = CheckFindings.ExitCode(result, findings);
            if (arguments.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(new CheckReportDocument(result, findings, exitCode), CheckJsonContext.Default.CheckReportDocument));
            }
            else
            {
                CheckTextReport.Write(output, result, findings);
            }
            return exitCode;
        }
        finally
        {
            request.ClientCertificate?.Dispose();
            foreach (var anchor in request.TrustAnchors ?? [])
            {
                anchor.Dispose();
            }
        }
    }

    private static CheckRequest? Validate(CheckArguments arguments, TextWriter error)
    {
        string? problem = null;
        CheckTarget? target = null;
        var timeout = TimeSpan.Zero;
        if (arguments.Target is null)
        {
            problem = "HOST:PORT is required";
        }
        else if (!CheckTarget.TryParse(arguments.Target, out target, out var targetError))
        {
            problem = targetError;
        }
        else if (arguments.Modes.Count > 1)
        {
            problem = "--starttls, --implicit and --plain exclude each other";
        }
        else if (arguments.KeyFile is not null && arguments.CertificateFile is null)
        {
            problem = "--key needs --cert";
        }
        else if ((arguments.From is null) != (arguments.Recipient is null))
        {
            problem = "a relay attempt needs both --from and --rcpt";
        }
        else if (!DurationSyntax.TryParse(arguments.Timeout, out timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10))
        {
            problem = $"--timeout {arguments.Timeout}: expected a duration such as 10s or 1m (at most 10m)";
        }
        else if (Unsafe(arguments.From) || Unsafe(arguments.Recipient) || Unsafe(arguments.Helo) || Unsafe(arguments.AuthUser))
        {
            problem = "--from, --rcpt, --helo and --auth cannot hold spaces, angle brackets or control characters";
        }
        if (problem is not null)
        {
            error.WriteLine("postern: check: " + problem);
            return null;
        }
        return new CheckRequest(target!)
        {
            Mode = arguments.Modes.Count == 0 ? CheckMode.Auto : arguments.Modes[0],
            ServerName = arguments.ServerName,
            From = arguments.From,
            Recipient = arguments.Recipient,
            HeloName = arguments.Helo ?? HostName(),
            Timeout = timeout,
        };
    }

    private static CheckRequest? LoadFiles(CheckArguments arguments, CheckRequest request, TextWriter error)
    {
        try
        {
            if (arguments.CertificateFile is { } certificateFile)
            {
                var chain = PemCertificateLoader.Load(new CertificateFiles(certificateFile, arguments.KeyFile));
                foreach (var intermediate in chain.Intermediates)
                {
                    intermediate.Dispose();
                }
                request = request with { ClientCertificate = chain.Leaf };
            }
            if (arguments.CaFile is { } caFile)
            {
                request = request with { TrustAnchors = CaLoader.Load(caFile, null, []), TrustAnchorsLabel = caFile };
            }
            return request;
        }
        catch (Exception e) when (e is TlsConfigurationException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            error.WriteLine("postern: check: " + e.Message);
            request.ClientCertificate?.Dispose();
            return null;
        }
    }

    /// <summary>Nothing that could end or inject an SMTP command line.</summary>
    private static bool Unsafe(string? value) =>
        value is not null && value.Any(c => char.IsControl(c) || c is ' ' or '<' or '>');

    private static string HostName()
    {
        try
        {
            var name = System.Net.Dns.GetHostName();
            return string.IsNullOrEmpty(name) ? "localhost" : name;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "localhost";
        }
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
