using System.Diagnostics;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// The `postern` binary the tier runs: the published one named by POSTERN_BINARY (test.sh publishes
/// with publish.sh first, so the tier tests the Native AOT executable an installation runs), else the
/// built one of the same configuration as these tests (JIT-compiled, the same code).
/// </summary>
public static class Binary
{
    private static readonly string? Published = Environment.GetEnvironmentVariable("POSTERN_BINARY") is { Length: > 0 } named ? named : null;

    public static string Path { get; } = Locate();

    /// <summary>Whether <see cref="Path"/> is a published build (publish.sh's output directory).</summary>
    public static bool IsPublished => Published is not null;

    public static ProcessStartInfo StartInfo(params string[] arguments) => StartInfoFor(Path, arguments);

    /// <summary>As <see cref="StartInfo"/>, for another postern binary (a published build).</summary>
    public static ProcessStartInfo StartInfoFor(string binary, params string[] arguments)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("POSTERN_HOME");
        return info;
    }

    /// <summary>Runs postern to completion (bounded) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs postern to completion (bounded) with <paramref name="input"/> on its stdin (a pipe, not a TTY).</summary>
    public static async Task<(int ExitCode, string Output)> RunWithInputAsync(string input, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Locate()
    {
        if (Published is not null)
        {
            return File.Exists(Published) ? System.IO.Path.GetFullPath(Published) : throw new FileNotFoundException("POSTERN_BINARY names no file", Published);
        }
        // tests/Postern.EndToEnd/bin/<Configuration>/net10.0/ -> src/Postern/bin/<Configuration>/net10.0/postern
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var path = System.IO.Path.Combine(Repository.Root, "src", "Postern", "bin", configuration, framework, "postern");
        return File.Exists(path) ? path : throw new FileNotFoundException("build src/Postern first", path);
    }
}
