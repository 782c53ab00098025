using System.Diagnostics;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// The Native AOT <c>sendmail</c> entry point (src/Postern.Submit) as publish.sh installs it, with
/// this build's <c>postern</c> beside it for the modes it hands on. Published once per test run
/// (a first Native AOT compile takes a few minutes; later ones are incremental), apart from the
/// tests' own bin/ and obj/.
/// </summary>
public static class NativeSendmail
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(15);

    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The published <c>sendmail</c>; the first use publishes it.</summary>
    public static string Path => Published.Value;

    private static string Publish()
    {
        var directory = Repository.PathOf("artifacts", "test-sendmail");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", Repository.PathOf("src", "Postern.Submit", "Postern.Submit.csproj"), "-c", "Release", "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier,
            "--artifacts-path", Repository.PathOf("artifacts", "test-sendmail-build"), "-o", directory,
            "--disable-build-servers", "--nologo", "-v", "quiet", "-clp:NoSummary",
        })
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Bound))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"publishing the native sendmail took over {Bound}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("publishing the native sendmail failed:\n" + stdout.Result + stderr.Result);
        }
        // It runs postern from its own directory, as in an installation.
        var postern = System.IO.Path.Combine(directory, "postern");
        File.Delete(postern);
        File.CreateSymbolicLink(postern, Binary.Path);
        return System.IO.Path.Combine(directory, "sendmail");
    }
}
