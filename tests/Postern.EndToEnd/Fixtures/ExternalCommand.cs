using System.Diagnostics;
using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>Runs a real client (swaks, curl, python3, openssl...) to completion, bounded in time.</summary>
public static class ExternalCommand
{
    /// <summary>Returns the exit code and "exit N", stdout and stderr together, for assertion messages.</summary>
    public static Task<(int Code, string Output)> RunAsync(string file, params string[] arguments) =>
        RunWithInputAsync(null, file, arguments);

    /// <summary>As <see cref="RunAsync(string, string[])"/>, for a command that may take longer than a client (a build).</summary>
    public static Task<(int Code, string Output)> RunAsync(TimeSpan bound, string file, params string[] arguments) =>
        RunAsync(null, bound, file, arguments);

    /// <summary>As <see cref="RunAsync(string, string[])"/>, with <paramref name="input"/> written to the command's stdin (then closed).</summary>
    public static Task<(int Code, string Output)> RunWithInputAsync(string? input, string file, params string[] arguments) =>
        RunAsync(input, TimeSpan.FromSeconds(60), file, arguments);

    private static async Task<(int Code, string Output)> RunAsync(string? input, TimeSpan bound, string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            try
            {
                await process.StandardInput.WriteAsync(input);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command exited without reading all of its input: its output says why.
            }
        }
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {bound.TotalSeconds} s:\n{await stdout}\n{await stderr}");
        }
        var output = await stdout + "\n" + await stderr;
        return (process.ExitCode, "exit " + process.ExitCode.ToString(CultureInfo.InvariantCulture) + "\n" + output);
    }
}
