using System.Security.Cryptography;
using System.Text.Json;
using Postern.Config;
using Postern.Core.Tls;
using Postern.Pki.Tls;
using Postern.Protocol.Sasl.Client;

namespace Postern.Tools.Check;

/// <summary>
/// <c>postern check</c>'s run: validates the arguments, loads the certificate files, runs the
/// session against the server, then writes the findings as text or JSON and returns the exit code.
/// </summary>
public static class CheckRunner
{
    /// <summary>Validates the arguments, runs the check, writes the report; returns the exit code.</summary>
    public static async Task<int> RunAsync(
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
}
