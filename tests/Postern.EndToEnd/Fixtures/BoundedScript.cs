using System.Diagnostics;
using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// Runs one of the repository's scripts (bench/run, bench/soak) to completion, bounded in time. On
/// timeout it gets SIGTERM first, so its own clean-up stops what it started, then SIGKILL.
/// </summary>
public static class BoundedScript
{
    /// <summary>Exit code and stdout followed by stderr.</summary>
    public static async Task<(int Code, string Output)> RunAsync(TimeSpan bound, string interpreter, string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
            throw new TimeoutException($"{script} did not finish in {bound.TotalSeconds} s:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + "\n" + await stderr);
    }
}
