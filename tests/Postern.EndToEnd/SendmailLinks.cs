using System.Diagnostics;
using System.Globalization;

namespace Postern.EndToEnd;

/// <summary>
/// A temp directory of symlinks named sendmail, mailq and newaliases to the real binary, as a
/// package installs them, run with the configuration and data directory in the environment
/// (programs that call sendmail pass no Postern options).
/// </summary>
public sealed class SendmailLinks : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postern-links-" + Guid.NewGuid().ToString("N")[..12]);

    public SendmailLinks(string configPath, string dataDir)
    {
        ConfigPath = configPath;
        DataDir = dataDir;
        Directory.CreateDirectory(_directory);
        foreach (var name in new[] { "sendmail", "mailq", "newaliases" })
        {
            File.CreateSymbolicLink(Path.Combine(_directory, name), Binary.Path);
        }
    }

    public string ConfigPath { get; }

    public string DataDir { get; }

    /// <summary>Runs one personality with <paramref name="input"/> on stdin; returns the exit code, stdout and stderr.</summary>
    public async Task<(int Code, string Output, string Error)> RunAsync(string name, string input, params string[] arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(_directory, name))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["POSTERN_CONFIG"] = ConfigPath;
        info.Environment["POSTERN_HOME"] = DataDir;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public static string Describe((int Code, string Output, string Error) result) =>
        "exit " + result.Code.ToString(CultureInfo.InvariantCulture) + "\n" + result.Output + "\n" + result.Error;

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
