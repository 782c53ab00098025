using System.Globalization;

namespace Postern.Bench;

/// <summary>
/// bench/run's TLS load client: STARTTLS full sessions and TLS handshakes (STARTTLS or implicit,
/// optionally resuming), N concurrent connections, as bench/load.py's modes of the same name.
/// Prints one line of key=value results on stdout, including the CPU the client and the server
/// spent per operation, so a table can tell which side was the limit. Errors go to stderr and
/// set exit code 1.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("loadclient: " + e.Message + "\n" + LoadOptions.Usage);
            return 2;
        }
        using var load = new LoadRun(options);
        var result = load.Run();
        foreach (var error in result.Errors.Take(3))
        {
            Console.Error.WriteLine("loadclient: " + error);
        }
        var line = string.Create(CultureInfo.InvariantCulture,
            $"rate={result.Rate:F1} reused={result.ReusedShare:F2} errors={result.Errors.Count} " +
            $"client_cpu_ms={result.ClientCpuMsPerOperation:F3} server_cpu_ms={result.ServerCpuMsPerOperation:F3} " +
            $"client_cores={result.ClientCores:F2} server_cores={result.ServerCores:F2}");
        Console.WriteLine(line);
        return result.Errors.Count == 0 ? 0 : 1;
    }
}
