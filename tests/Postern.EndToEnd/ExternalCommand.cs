using System.Diagnostics;
using System.Globalization;

namespace Postern.EndToEnd;

/// <summary>Runs a real client (swaks, curl, python3, openssl...) to completion, bounded in time.</summary>
public static class ExternalCommand
{
    /// <summary>Returns the exit code and "exit N", stdout and stderr together, for assertion messages.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + "\n" + await stderr;
        return (process.ExitCode, "exit " + process.ExitCode.ToString(CultureInfo.InvariantCulture) + "\n" + output);
    }
}
