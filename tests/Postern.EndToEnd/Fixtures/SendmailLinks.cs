using System.Diagnostics;
using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// A temp directory of symlinks named sendmail, mailq and newaliases to the real binary, as a
/// package installs them (and postern, to run its own commands the same way), run with the configuration and data directory in the environment
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
        foreach (var name in new[] { "sendmail", "mailq", "newaliases", "postern" })
        {
            File.CreateSymbolicLink(Path.Combine(_directory, name), Binary.Path);
        }
    }

    public string ConfigPath { get; }

    public string DataDir { get; }

    /// <summary>Runs one personality with <paramref name="input"/> on stdin; returns the exit code, stdout and stderr.</summary>
    public Task<(int Code, string Output, string Error)> RunAsync(string name, string input, params string[] arguments) =>
        RunAsync(null, name, input, arguments);

    /// <summary>As <see cref="RunAsync(string, string, string[])"/>, as the unprivileged user nobody (setpriv).</summary>
    public Task<(int Code, string Output, string Error)> RunAsNobodyAsync(string name, string input, params string[] arguments) =>
        RunAsync(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"], name, input, arguments);

    private async Task<(int Code, string Output, string Error)> RunAsync(string[]? setpriv, string name, string input, string[] arguments)
    {
        var program = Path.Combine(_directory, name);
        var info = new ProcessStartInfo(setpriv is null ? program : "setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (setpriv is not null)
        {
            foreach (var option in setpriv)
            {
                info.ArgumentList.Add(option);
            }
            info.ArgumentList.Add(program);
        }
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
