using System.Globalization;

namespace Postern.Bench;

internal enum Workload { Sessions, Handshakes }

internal enum TlsMode { StartTls, Implicit }

/// <summary>The command line: the same names as bench/load.py's.</summary>
internal sealed record LoadOptions(
    Workload Workload,
    int Port,
    int Count,
    int Sessions,
    int Size,
    TlsMode Mode,
    bool Resume,
    TimeSpan Timeout,
    IReadOnlyList<int> ServerPids)
{
    public const string Usage =
        "usage: loadclient sessions|handshakes --port P [--count N] [--sessions C] [--size BYTES] " +
        "[--mode starttls|implicit] [--resume] [--timeout SECONDS] [--pids PID,...]";

    public static LoadOptions Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new ArgumentException("no workload");
        }
        var workload = args[0] switch
        {
            "sessions" => Workload.Sessions,
            "handshakes" => Workload.Handshakes,
            _ => throw new ArgumentException("unknown workload " + args[0]),
        };
        var options = new LoadOptions(workload, 0, 1000, 20, 4096, TlsMode.StartTls, false, TimeSpan.FromSeconds(120), []);
        for (var i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
            options = args[i] switch
            {
                "--port" => options with { Port = Positive(Value()) },
                "--count" => options with { Count = Positive(Value()) },
                "--sessions" => options with { Sessions = Positive(Value()) },
                "--size" => options with { Size = Positive(Value()) },
                "--mode" => options with
                {
                    Mode = Value() switch
                    {
                        "starttls" => TlsMode.StartTls,
                        "implicit" => TlsMode.Implicit,
                        var other => throw new ArgumentException("unknown mode " + other),
                    },
                },
                "--resume" => options with { Resume = true },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Positive(Value())) },
                "--pids" => options with { ServerPids = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Positive)] },
                var other => throw new ArgumentException("unknown option " + other),
            };
        }
        if (options.Port == 0)
        {
            throw new ArgumentException("--port is required");
        }
        return options;
    }

    private static int Positive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException("not a positive number: " + text);
}
