using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tests.Pki;

/// <summary>Runs the openssl command line, when installed, as an oracle for formats Postern must reproduce.</summary>
internal static class OpenSslTool
{
    private static readonly Lazy<bool> Present = new(() => Run(["version"], out _));

    public static bool IsAvailable => Present.Value;

    /// <summary>Writes the certificate as PEM to a temp file and runs <c>openssl x509 -in FILE -noout ARGS</c>.</summary>
    public static string X509(X509Certificate2 certificate, params string[] arguments)
    {
        var path = Path.Combine(Path.GetTempPath(), "postern-pki-" + Guid.NewGuid().ToString("N") + ".pem");
        try
        {
            File.WriteAllText(path, certificate.ExportCertificatePem());
            return Run(["x509", "-in", path, "-noout", .. arguments], out var output)
                ? output.TrimEnd('\n')
                : throw new InvalidOperationException("openssl failed: " + output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static bool Run(string[] arguments, out string output)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            output = stdout.GetAwaiter().GetResult();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                output += stderr;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return false;
        }
    }
}
